"""Simulated respondents for the practice inventory (no real people).

The generator draws, for each simulated respondent, one *general* reactance factor ``G``
and four *facet* factors ``S_f``, one per facet. ``G`` is independent of the facet
factors (as in a bifactor model); the facet factors correlate ``FACET_CORRELATION`` with
each other, through a shared component ``C``::

    S_f = sqrt(FACET_CORRELATION) * C + sqrt(1 - FACET_CORRELATION) * U_f

For item ``j`` in facet ``f`` the continuous latent response (variance 1) is::

    y_j = GENERAL_LOADINGS[j] * G + FACET_LOADINGS[j] * S_f + unique_sd_j * E_j

with ``unique_sd_j = sqrt(1 - general**2 - facet**2)``. ``y_j`` points towards *more*
reactance. It is cut into the 1-5 agreement scale at ``THRESHOLDS + ITEM_SHIFTS[j]``
(1 below the first cut, 5 above the last). A reverse-keyed item is answered in reverse:
the recorded answer is ``6 - category``, so agreeing with it signals *less* reactance,
as the item is keyed. Finally each answer is independently made missing
(``None``) with probability ``missing_rate``.

Everything comes from one ``numpy.random.default_rng(seed)`` stream, drawn in a fixed
order, so the same seed, ``n`` and ``missing_rate`` rebuild the same data byte for byte.
``python -m course_lib simulate`` calls :func:`rebuild_dataset`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from course_lib import paths
from course_lib.content.inventory import ID_COLUMN, Inventory

DEFAULT_N = 300
DEFAULT_SEED = 20261125
DEFAULT_MISSING_RATE = 0.02

DATA_FILE = "data/inventory_simulated.csv"
META_FILE = "data/inventory_simulated.meta.yaml"

#: Loading of each item on the general reactance factor. Reverse-keyed items (i06, i07,
#: i09, i12) are given slightly lower loadings: a modelling choice for this simulation.
GENERAL_LOADINGS: dict[str, float] = {
    "i01": 0.50, "i02": 0.55, "i03": 0.50, "i04": 0.50,
    "i05": 0.50, "i06": 0.45, "i07": 0.45, "i08": 0.50,
    "i09": 0.45, "i10": 0.50, "i11": 0.55, "i12": 0.45,
}  # fmt: skip

#: Loading of each item on its own facet's factor.
FACET_LOADINGS: dict[str, float] = {
    "i01": 0.55, "i02": 0.55, "i03": 0.55, "i04": 0.60,
    "i05": 0.55, "i06": 0.50, "i07": 0.55, "i08": 0.55,
    "i09": 0.50, "i10": 0.55, "i11": 0.50, "i12": 0.50,
}  # fmt: skip

#: Correlation between any two facet factors (all independent of the general factor).
FACET_CORRELATION = 0.15

#: Cut points on the latent response (in standard-deviation units) between categories
#: 1|2, 2|3, 3|4 and 4|5, before the item's shift.
THRESHOLDS: tuple[float, float, float, float] = (-1.30, -0.40, 0.45, 1.35)

#: Shift of each item's cut points: positive makes the reactant answer rarer.
ITEM_SHIFTS: dict[str, float] = {
    "i01": 0.10, "i02": -0.10, "i03": 0.20, "i04": 0.00,
    "i05": 0.15, "i06": -0.15, "i07": 0.05, "i08": 0.25,
    "i09": -0.05, "i10": -0.30, "i11": 0.10, "i12": 0.00,
}  # fmt: skip


def respondent_ids(n: int) -> list[str]:
    """Ids ``r001``, ``r002``, ... (at least three digits, more if ``n`` needs them)."""
    width = max(3, len(str(n)))
    return [f"r{i:0{width}d}" for i in range(1, n + 1)]


def _check_parameters(inventory: Inventory, n: int, missing_rate: float) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if not isinstance(missing_rate, int | float) or not 0 <= missing_rate < 1:
        raise ValueError(f"missing_rate must be a number in [0, 1), got {missing_rate!r}")
    if (inventory.scale.min, inventory.scale.max) != (1, 5):
        raise ValueError("the simulator assumes a 1-5 response scale")
    for table, name in (
        (GENERAL_LOADINGS, "GENERAL_LOADINGS"),
        (FACET_LOADINGS, "FACET_LOADINGS"),
        (ITEM_SHIFTS, "ITEM_SHIFTS"),
    ):
        absent = [item.id for item in inventory.items if item.id not in table]
        if absent:
            raise ValueError(f"{name} has no value for item(s): {', '.join(absent)}")
    for item in inventory.items:
        if GENERAL_LOADINGS[item.id] ** 2 + FACET_LOADINGS[item.id] ** 2 >= 1:
            raise ValueError(f"loadings of item {item.id} leave no unique variance")


def simulate_inventory(
    inventory: Inventory,
    n: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    missing_rate: float = DEFAULT_MISSING_RATE,
) -> list[dict[str, Any]]:
    """Simulate ``n`` respondents answering ``inventory`` (see the module docstring).

    Returns one dict per respondent: ``respondent_id`` (``r001`` ...) and, for every item
    id, an integer 1-5 or ``None`` (missing). Same arguments, same result.
    """
    _check_parameters(inventory, n, missing_rate)
    rng = np.random.default_rng(seed)
    facet_ids = [facet.id for facet in inventory.facets]
    items = inventory.items

    # Draw order is part of the format: changing it changes the dataset.
    general = rng.standard_normal(n)
    shared = rng.standard_normal(n)
    unique_facet = rng.standard_normal((n, len(facet_ids)))
    errors = rng.standard_normal((n, len(items)))
    missing_draw = rng.random((n, len(items)))

    facet_factors = (
        math.sqrt(FACET_CORRELATION) * shared[:, None]
        + math.sqrt(1 - FACET_CORRELATION) * unique_facet
    )
    answers = np.empty((n, len(items)), dtype=np.int64)
    for j, item in enumerate(items):
        lg, ls = GENERAL_LOADINGS[item.id], FACET_LOADINGS[item.id]
        unique_sd = math.sqrt(1 - lg**2 - ls**2)
        latent = (
            lg * general
            + ls * facet_factors[:, facet_ids.index(item.facet)]
            + unique_sd * errors[:, j]
        )
        cuts = np.asarray(THRESHOLDS) + ITEM_SHIFTS[item.id]
        category = 1 + (latent[:, None] > cuts[None, :]).sum(axis=1)
        answers[:, j] = 6 - category if item.reverse else category
    missing = missing_draw < missing_rate

    rows: list[dict[str, Any]] = []
    for r, rid in enumerate(respondent_ids(n)):
        row: dict[str, Any] = {ID_COLUMN: rid}
        for j, item in enumerate(items):
            row[item.id] = None if missing[r, j] else int(answers[r, j])
        rows.append(row)
    return rows


def write_csv(rows: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Write rows to a CSV file (``respondent_id`` first, missing answers as empty cells).

    The columns are the first row's keys in order; every row must have the same keys.
    Lines end in ``\\n`` whatever the platform, so the file is byte-for-byte reproducible.
    """
    path = Path(path)
    if not rows:
        raise ValueError(f"{path}: no rows to write")
    header = list(rows[0])
    if header[0] != ID_COLUMN:
        raise ValueError(f"{path}: the first column must be {ID_COLUMN!r}, got {header[0]!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for index, row in enumerate(rows, start=1):
            if list(row) != header:
                raise ValueError(f"{path}: row {index} has columns {list(row)}, expected {header}")
            writer.writerow(["" if row[key] is None else row[key] for key in header])
    return path


def _parse_answer(text: str, scale_min: int, scale_max: int) -> int | None:
    """Parse one CSV cell: empty means missing, else an integer on the scale."""
    if text == "":
        return None
    if not text.isascii() or not text.isdigit():
        raise ValueError(
            f"{text!r} is not an integer {scale_min}-{scale_max} (or empty for missing)"
        )
    value = int(text)
    if not scale_min <= value <= scale_max:
        raise ValueError(f"{value} is outside the scale {scale_min}-{scale_max}")
    return value


def read_csv(path: Path, inventory: Inventory) -> list[dict[str, Any]]:
    """Read a respondents CSV strictly, checking it against ``inventory``.

    The header must be exactly ``respondent_id`` followed by the inventory's item ids in
    order. Each cell must be an integer on the scale or empty (missing); respondent ids
    must be non-empty and unique. Any problem raises ``ValueError`` naming the file, and
    for a cell the row (1 = first data row), the file line and the column.
    """
    path = Path(path)
    expected = [ID_COLUMN, *(item.id for item in inventory.items)]
    lo, hi = inventory.scale.min, inventory.scale.max
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read: {exc}") from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise ValueError(f"{path}: file is empty (expected header {','.join(expected)})")
    if header != expected:
        raise ValueError(
            f"{path}: line 1: header must be {','.join(expected)}, got {','.join(header)}"
        )
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, cells in enumerate(reader, start=1):
        where = f"{path}: row {index} (line {index + 1})"
        if len(cells) != len(expected):
            raise ValueError(f"{where}: has {len(cells)} columns, expected {len(expected)}")
        rid = cells[0]
        if not rid or rid != rid.strip():
            raise ValueError(
                f"{where}, column {ID_COLUMN}: {rid!r} is empty or has surrounding spaces"
            )
        if rid in seen:
            raise ValueError(f"{where}, column {ID_COLUMN}: {rid!r} appears more than once")
        seen.add(rid)
        row: dict[str, Any] = {ID_COLUMN: rid}
        for column, cell in zip(expected[1:], cells[1:], strict=True):
            try:
                row[column] = _parse_answer(cell, lo, hi)
            except ValueError as exc:
                raise ValueError(f"{where}, column {column}: {exc}") from None
        rows.append(row)
    if not rows:
        raise ValueError(f"{path}: has a header but no data rows")
    return rows


def _meta(inventory: Inventory, n: int, seed: int, missing_rate: float) -> dict[str, Any]:
    return {
        "simulated": True,
        "description": (
            "SIMULATED respondents to the practice inventory of the course. No real people "
            "took part: every answer was generated by a computer from a known statistical "
            "model, for practising scoring, missing-answer rules and reliability analysis. "
            "These numbers say nothing about the reactance of any real person or group."
        ),
        "inventory": inventory.id,
        "file": Path(DATA_FILE).name,
        "columns": f"{ID_COLUMN}, then {', '.join(i.id for i in inventory.items)}; "
        "an empty cell is a missing answer",
        "generator": "course_lib.simulate.simulate_inventory",
        "model": (
            "one general reactance factor plus four facet factors (facet factors correlate "
            f"{FACET_CORRELATION} with each other, none with the general factor); loadings, "
            "thresholds and item shifts are the constants in course_lib/simulate.py; "
            "reverse-keyed items are answered in reverse"
        ),
        "seed": seed,
        "n": n,
        "missing_rate": missing_rate,
        "rebuild": "python -m course_lib simulate",
    }


def rebuild_dataset(assets_dir: Path | str | None = None) -> Path:
    """Regenerate the simulated dataset and its metadata file under ``assets_dir``.

    Uses the default seed, ``n`` and missing rate and the inventory in ``assets_dir``
    (the course's own assets folder when ``None``). Returns the path of the CSV file.
    """
    from course_lib.content.catalog import load_inventory

    assets = Path(assets_dir) if assets_dir is not None else paths.assets_dir()
    inventory = load_inventory(assets)
    rows = simulate_inventory(inventory, DEFAULT_N, DEFAULT_SEED, DEFAULT_MISSING_RATE)
    csv_path = write_csv(rows, assets / DATA_FILE)
    meta = _meta(inventory, DEFAULT_N, DEFAULT_SEED, DEFAULT_MISSING_RATE)
    header = (
        "# Metadata for inventory_simulated.csv: SIMULATED data, no real people.\n"
        "# Written by `python -m course_lib simulate`; do not edit by hand.\n"
    )
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=88)
    (assets / META_FILE).write_text(header + body, encoding="utf-8", newline="\n")
    return csv_path
