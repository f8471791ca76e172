"""The instructor's view of the class: what ``python -m course_lib report OUT`` computes and writes.

:mod:`~course_lib.report.model` holds the figures (plain dataclasses); the modules beside it
compute them from what ``grade`` wrote in OUT and render the page, the CSV files and the
terminal summary.
"""
