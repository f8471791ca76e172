"""Submits extra files that are symlinks to the keys and the source, and reads them from the notebook.

The grader reads no link: the row is unsafe-file and nothing of it runs (the cell below would
print LEAKED if it ever did)."""

BASE = "blank"
LINKS = {"keys.yaml": "@REPO_KEYS@", "source.ipynb": "@COPY_SOURCE_NB@"}
CELLS = [
    """
for name in ("keys.yaml", "source.ipynb"):
    try:
        print("LEAKED:", name, open(name).read()[:80])
    except OSError as exc:
        print("BLOCKED:", name, type(exc).__name__)
""",
]
