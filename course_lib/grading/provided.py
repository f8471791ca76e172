"""Stand-ins for earlier answers, so that each autograded question is judged on its own.

A function question may rely on the student's answers to earlier questions (a1's
``score_total`` usually calls their ``score_facets``, which calls their ``reverse_keyed``).
The spec's ``provides:`` names those functions; while that question's hidden inputs run,
the capture cell rebinds each name in the kernel's namespace to a correct stand-in
generated here from the inventory file, then restores the student's own. A mistake in
``reverse_keyed`` then costs only Question 1; a student who wrote everything inline is
still judged on their own code.

The stand-ins run in the student's kernel, so student code can read and tamper with them.
That is safe: a provided name must be the answer to an *earlier* question (``validate``
checks it), which was collected and is judged before any stand-in enters the kernel; the
scoring rule they implement is already public in :mod:`course_lib.scoring`; and tampering
can only change the student's own later answers. They use only the standard library and
inline every constant, so a patched ``course_lib`` or a changed notebook global (``FACETS``,
``RULE``) does not change what they compute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from course_lib.content.inventory import Inventory


def _constants(inventory: Inventory) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    items = tuple(item.id for item in inventory.items)
    reverse = tuple(item.id for item in inventory.items if item.reverse)
    return items, reverse, inventory.scale.min + inventory.scale.max


def reverse_keyed_source(inventory: Inventory) -> str:
    """Source of a stand-in ``reverse_keyed(responses)`` (a1 Question 1)."""
    items, reverse, flip = _constants(inventory)
    return f'''def reverse_keyed(responses):
    """The grader's stand-in: every item id -> its reverse-keyed answer (None stays None)."""
    out = {{}}
    for item in {items!r}:
        value = responses.get(item)
        out[item] = {flip} - value if value is not None and item in {reverse!r} else value
    return out
'''


def score_facets_source(inventory: Inventory) -> str:
    """Source of a stand-in ``score_facets(responses)`` (a1 Question 2), self-contained."""
    _, reverse, flip = _constants(inventory)
    facets = tuple(
        (facet.id, tuple(item.id for item in inventory.items_in(facet.id)))
        for facet in inventory.facets
    )
    limit = inventory.missing.max_missing_per_facet
    return f'''def score_facets(responses):
    """The grader's stand-in: facet id -> mean of its answered reverse-keyed items, or None."""
    out = {{}}
    for facet, items in {facets!r}:
        values = []
        for item in items:
            value = responses.get(item)
            if value is not None:
                values.append({flip} - value if item in {reverse!r} else value)
        scorable = values and len(items) - len(values) <= {limit}
        out[facet] = sum(values) / len(values) if scorable else None
    return out
'''


#: Name bound in the kernel -> generator of its stand-in's source.
PROVIDERS: dict[str, Callable[[Inventory], str]] = {
    "reverse_keyed": reverse_keyed_source,
    "score_facets": score_facets_source,
}


def provided_sources(names: Iterable[str], assets: Path | None = None) -> dict[str, str]:
    """Name -> stand-in source for each name (the inventory is read from ``assets``)."""
    from course_lib.content import load_inventory

    names = list(names)
    if not names:
        return {}
    inventory = load_inventory(assets)
    return {name: PROVIDERS[name](inventory) for name in names}
