"""Submits extra files that are symlinks to the keys and the source, and reads them from the notebook."""

BASE = "blank"
EXPECT = "BLOCKED"
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
