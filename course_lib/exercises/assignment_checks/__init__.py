"""Formative checks for the graded assignments, run by students in their own kernel.

Each ``check_...`` returns a :class:`~course_lib.display.CheckResult` and never raises,
whatever the student's code does. None of them contains or computes a graded answer:

* a check of a *function* runs it on the PUBLIC worked example defined here (also shown in
  the notebook) and compares it with that example's answer, written out as a literal. The
  grader tests the function on different, hidden inputs;
* a check of a *value* (alpha, facet means, stances, response choices) only tests its
  type, shape and range; the value itself is judged by the grader after submission;
* Assignment 4's worked example is ungraded, and its check judges it against its public
  verdicts in ``assets/``.

There is deliberately no scoring or statistics code in this package: it cannot be used as
an oracle for inputs other than the public examples. One module per assignment (``a1``,
``a2``, ``a3``, ``a4``); the notebooks import every public name from here.
"""

from __future__ import annotations

from course_lib.exercises.assignment_checks.a1 import (
    A1_ALPHA_EXAMPLE,
    A1_BAND_EXAMPLES,
    A1_EXAMPLE,
    A1_EXAMPLE_2,
    A1_EXAMPLE_2_FACETS,
    A1_EXAMPLE_2_REVERSED,
    A1_EXAMPLE_2_TOTAL,
    A1_EXAMPLE_3_FACETS,
    A1_EXAMPLE_ALPHA,
    A1_EXAMPLE_FACET_MEANS,
    A1_EXAMPLE_FACETS,
    A1_EXAMPLE_REVERSED,
    A1_EXAMPLE_TOTAL,
    A1_FACET_SCORES_EXAMPLE,
    BANDS,
    FACET_IDS,
    ITEM_IDS,
    check_alpha,
    check_band_for,
    check_cronbach_alpha,
    check_facet_means,
    check_mean_facet_scores,
    check_reverse_keyed,
    check_score_facets,
    check_score_total,
)
from course_lib.exercises.assignment_checks.a2 import (
    A2_ANSWERS_FILE,
    A2_EXAMPLE_AGREEMENT,
    A2_EXAMPLE_ICC,
    A2_EXAMPLE_KAPPA,
    A2_RATINGS,
    check_icc_a1,
    check_percent_agreement,
    check_quadratic_kappa,
    saved_ratings_summary,
)
from course_lib.exercises.assignment_checks.a3 import (
    A3_EXAMPLE_POOLED,
    A3_EXAMPLE_R,
    A3_EXAMPLE_SUPERIORITY,
    A3_ILLUSTRATIVE_STUDIES,
    META_ANALYSES,
    POOLED_KEYS,
    STANCES,
    check_d_to_r,
    check_opening_stances,
    check_pool_fixed,
    check_probability_of_superiority,
)
from course_lib.exercises.assignment_checks.a4 import (
    A4_COMPLIANT_MOMENTS,
    A4_OPPOSITIONAL_MOMENTS,
    A4_WRITING_MOMENTS,
    check_compliant_choices,
    check_oppositional_choices,
    check_worked_example,
)

__all__ = [
    "A1_ALPHA_EXAMPLE",
    "A1_BAND_EXAMPLES",
    "A1_EXAMPLE",
    "A1_EXAMPLE_2",
    "A1_EXAMPLE_2_FACETS",
    "A1_EXAMPLE_2_REVERSED",
    "A1_EXAMPLE_2_TOTAL",
    "A1_EXAMPLE_3_FACETS",
    "A1_EXAMPLE_ALPHA",
    "A1_EXAMPLE_FACETS",
    "A1_EXAMPLE_FACET_MEANS",
    "A1_EXAMPLE_REVERSED",
    "A1_EXAMPLE_TOTAL",
    "A1_FACET_SCORES_EXAMPLE",
    "A2_ANSWERS_FILE",
    "A2_EXAMPLE_AGREEMENT",
    "A2_EXAMPLE_ICC",
    "A2_EXAMPLE_KAPPA",
    "A2_RATINGS",
    "A3_EXAMPLE_POOLED",
    "A3_EXAMPLE_R",
    "A3_EXAMPLE_SUPERIORITY",
    "A3_ILLUSTRATIVE_STUDIES",
    "A4_COMPLIANT_MOMENTS",
    "A4_OPPOSITIONAL_MOMENTS",
    "A4_WRITING_MOMENTS",
    "BANDS",
    "FACET_IDS",
    "ITEM_IDS",
    "META_ANALYSES",
    "POOLED_KEYS",
    "STANCES",
    "check_alpha",
    "check_band_for",
    "check_compliant_choices",
    "check_cronbach_alpha",
    "check_d_to_r",
    "check_facet_means",
    "check_icc_a1",
    "check_mean_facet_scores",
    "check_oppositional_choices",
    "check_opening_stances",
    "check_percent_agreement",
    "check_pool_fixed",
    "check_probability_of_superiority",
    "check_quadratic_kappa",
    "check_reverse_keyed",
    "check_score_facets",
    "check_score_total",
    "check_worked_example",
    "saved_ratings_summary",
]
