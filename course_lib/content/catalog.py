"""Where each kind of content lives, and the checks that span files (case key vs rubric)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from course_lib import paths
from course_lib.content.cases import Case, CaseKey, KeyFile, normalise
from course_lib.content.errors import ContentError, Problem
from course_lib.content.inventory import Inventory
from course_lib.content.loader import load, load_cached
from course_lib.content.rubric import Rubric

RUBRIC_FILE = "instruments/marker_rubric.yaml"
INVENTORY_FILE = "instruments/practice_inventory.yaml"
CASES_DIR = "cases"


def _assets(assets: Path | None) -> Path:
    return Path(assets) if assets is not None else paths.assets_dir()


@lru_cache(maxsize=8)
def _load_rubric_cached(path: Path, mtime: float) -> Rubric:
    return load(path, Rubric)


def load_rubric(assets: Path | None = None) -> Rubric:
    """Load and validate the marker rubric."""
    path = _assets(assets) / RUBRIC_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise ContentError.single(path, "<file>", f"cannot be read: {exc}") from None
    return _load_rubric_cached(path, mtime)


def load_inventory(assets: Path | None = None) -> Inventory:
    """Load and validate the practice inventory (cached per file version: the grader asks for
    it several times per notebook)."""
    return load_cached(_assets(assets) / INVENTORY_FILE, Inventory)


def case_path(case_id: str, assets: Path | None = None) -> Path:
    """Path of the file holding case ``case_id``."""
    return _assets(assets) / CASES_DIR / f"{case_id}.yaml"


def key_problems(path: Path, case: Case, key: CaseKey, rubric: Rubric) -> list[Problem]:
    """Check a key against the rubric and the case text; return every problem found."""
    from course_lib.scoring.placement import place

    problems: list[Problem] = []
    prefix = "key" if case.key is key else "<key file>"
    expected = rubric.marker_ids()
    missing = [m for m in expected if m not in key.ratings]
    extra = [m for m in key.ratings if m not in expected]
    if missing:
        problems.append(
            Problem(path, f"{prefix}.ratings", f"no rating for markers: {', '.join(missing)}")
        )
    if extra:
        problems.append(Problem(path, f"{prefix}.ratings", f"unknown markers: {', '.join(extra)}"))
    text = normalise(case.full_text())
    for marker_id, rated in key.ratings.items():
        if rated.rating > 0 and normalise(rated.cue) not in text:
            problems.append(
                Problem(
                    path,
                    f"{prefix}.ratings.{marker_id}.cue",
                    "a cue for a rating above 0 must quote the vignette or excerpt verbatim",
                )
            )
    if not missing and not extra:
        placed = place({m: r.rating for m, r in key.ratings.items()}, rubric)
        if placed.band != key.band:
            problems.append(
                Problem(
                    path,
                    f"{prefix}.band",
                    f"is {key.band!r} but the rubric's rule places these ratings in "
                    f"{placed.band!r} (position {placed.position:+.2f})",
                )
            )
    return problems


def load_case(path: Path, rubric: Rubric | None = None) -> Case:
    """Load one case file and check its inline key (if any) against the rubric."""
    path = Path(path)
    case = load_cached(path, Case)
    if case.id != path.stem:
        raise ContentError.single(path, "id", f"must match the file name ({path.stem!r})")
    if case.key is not None:
        problems = key_problems(path, case, case.key, rubric or load_rubric())
        if problems:
            raise ContentError(problems)
    return case


def load_cases(
    assets: Path | None = None, which: str | None = None, lesson: int | None = None
) -> list[Case]:
    """Load every case, sorted by id; optionally only the ``practice`` or ``assignment`` set,
    or only the practice cases of one ``lesson``."""
    rubric = load_rubric(assets)
    folder = _assets(assets) / CASES_DIR
    cases = [load_case(p, rubric) for p in sorted(folder.glob("*.yaml"))]
    return [
        c
        for c in cases
        if (which is None or c.set == which) and (lesson is None or c.lesson == lesson)
    ]


def load_case_key(
    case: Case, keys_dir: Path | None = None, rubric: Rubric | None = None
) -> CaseKey:
    """Return the expert key of ``case``: inline for practice cases, instructor-side otherwise."""
    if case.key is not None:
        return case.key
    folder = Path(keys_dir) if keys_dir is not None else paths.instructor_keys_dir() / "cases"
    path = folder / f"{case.id}.yaml"
    if not path.exists():
        raise ContentError.single(
            path, "<file>", f"no instructor key for assignment case {case.id!r}"
        )
    keyfile = load_cached(path, KeyFile)
    if keyfile.case_id != case.id:
        raise ContentError.single(path, "case_id", f"must be {case.id!r} (the file name)")
    problems = key_problems(path, case, keyfile, rubric or load_rubric())
    if problems:
        raise ContentError(problems)
    return CaseKey(**keyfile.model_dump(exclude={"case_id"}))
