"""The instructor's grading pipeline: release, sandboxed execution, verdicts, gradebook, feedback.

Design: student code only *produces answers*. Each autograded question's answer is captured
from the student's kernel as plain JSON; the comparison with the key (and hence the
verdict) happens here, in the grading process, which the student's code cannot reach.
Keys and hidden inputs live instructor-side in ``notebooks/course/keys/``.
"""
