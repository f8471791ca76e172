"""course_lib: the helper package behind the psychological reactance course module.

Importing the package is cheap on purpose (lessons import it first): submodules load on
first use, e.g. ``course_lib.content``, ``course_lib.stats``, ``course_lib.widgets``.
"""

__version__ = "0.1.0"
