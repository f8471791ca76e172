"""A float/int subclass holding a wrong value that prints, compares and converts as the right one."""

BASE = "blank"
CELLS = [
    """
class Lie(float):
    def __eq__(self, other):
        return True
    __hash__ = float.__hash__
    def __repr__(self):
        return "42"
    __str__ = __repr__
    def __float__(self):
        return 42.0
    def tolist(self):
        return 42

class IntLie(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__
    def __repr__(self):
        return "26"

x = Lie(41.0)
def double(v):
    return IntLie(0)
""",
]
WHERE = "end"
