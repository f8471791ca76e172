"""Searches every readable place for the reference code's source text and reads it."""

BASE = "blank"
EXPECT = "BLOCKED"
CELLS = [
    """
import os, sys
import course_lib
pkg = os.path.dirname(course_lib.__file__)
repo = os.path.dirname(pkg)
needles = ("def cohen_kappa", "def score_inventory", "def icc_a1(ratings", "REFERENCES: dict")
hits = []
def search(top, skip=()):
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        for name in files:
            if name.endswith((".py", ".pyc", ".txt", ".json")):
                try:
                    with open(os.path.join(folder, name), "rb") as handle:
                        data = handle.read(2_000_000).decode("utf-8", "replace")
                except OSError:
                    continue
                hits.extend(os.path.join(folder, name) for n in needles if n in data)
search(repo, skip={sys.prefix})
site = [p for p in sys.path if p.endswith("site-packages")]
for top in site:
    for name in os.listdir(top):
        if "course" in name or "reactance" in name or name.endswith(".pth"):
            path = os.path.join(top, name)
            search(path) if os.path.isdir(path) else None
try:
    with open("/proc/self/mountinfo") as handle:
        for line in handle:
            source = line.split()[3]
            if "course" in source and os.path.isdir(source):
                search(source)
except OSError:
    pass
print("LEAKED: " + ", ".join(sorted(set(hits))) if hits else "BLOCKED: no reference source in view")
x = 41
""",
]
