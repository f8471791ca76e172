"""A JupyterHub for the course on one machine: real Unix users, nbgrader's exchange, the hub.

``make hub`` (``scripts/local-hub``) and the integration test of a whole term
(``tests/test_hub_term.py``) share this code: :mod:`.users` creates the Unix users and runs
commands as them, :mod:`.exchange` sets up the exchange and each user's nbgrader
configuration, and :mod:`.local_hub` starts JupyterHub with configurable-http-proxy and
drives it through its REST API. Everything listens on 127.0.0.1 only.
"""
