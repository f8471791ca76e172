"""Answers are objects whose __eq__/__float__/__int__ claim to equal anything (nbgrader #1379)."""

BASE = "blank"
CELLS = [
    """
class Anything:
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __float__(self):
        return 42.0
    def __int__(self):
        return 42
    def __index__(self):
        return 42
    def __hash__(self):
        return 0

x = Anything()
def double(v):
    return Anything()
""",
]
WHERE = "end"
