"""Reads keys, sources, the gradebook and other students' work from their real paths; smuggles it out."""

BASE = "blank"
EXPECT = "BLOCKED"
CELLS = [
    """
import glob, os, pathlib, sqlite3
loot = []
targets = [
    "@REPO_KEYS@", "@COPY_KEYS@", "@COURSE_KEYS@", "@SOURCE_NB@", "@COPY_SOURCE_NB@",
    "@OUT@/gradebook.db", "@OUT@/source/t1/t1.ipynb", "@OUT@",
    "@SUBS@/honest/t1/t1.ipynb", "@SUBS@/base_half", "@SUBS@",
]
for t in targets:
    p = pathlib.Path(t)
    try:
        data = "\\n".join(os.listdir(p)) if p.is_dir() else p.read_text(errors="replace")
        loot.append(data)
        print("LEAKED:", t, len(data))
    except OSError as exc:
        print("BLOCKED:", t, type(exc).__name__)
for pattern in ["@SUBS@/*/t1/*", "@OUT@/*", "/tmp/pytest-of-*/*"]:
    if glob.glob(pattern):
        print("LEAKED: glob", pattern)
try:
    db = sqlite3.connect("file:@OUT@/gradebook.db?mode=rw", uri=True)
    db.execute("update grade set manual_score = 2")
    db.commit()
    print("LEAKED: wrote the gradebook")
except Exception as exc:
    print("BLOCKED: gradebook", type(exc).__name__)
x = "\\n".join(loot) or 41
for dest in ["@DROP@/loot-@MARK@.txt", "@OUT@/loot-@MARK@.txt", "@SUBS@/honest/t1/loot-@MARK@.txt"]:
    try:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        pathlib.Path(dest).write_text(str(x))
        print("wrote (inside the sandbox's own view):", dest)  # the test checks the host
    except OSError as exc:
        print("BLOCKED: write", dest, type(exc).__name__)
""",
]
