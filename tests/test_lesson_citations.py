"""Every work a lesson cites in its prose appears in that lesson's Further reading.

A citation is an author's surname followed by a year, as the lessons write them:
"(Brehm, 1966)", "Beutler et al. (2011)", "Dowd & Sanders's (1994)". The year must close the
citation (a ")", "," or ";" follows), so "the 2011 task force" is not read as one. The check
asks that some Further-reading entry holds both the surname and the year.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import LESSONS

LESSON_FILES = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
CITATION = re.compile(r"([A-Z][A-Za-z'\-]+?)(?:'s)?(?: et al\.)?,? \(?((?:19|20)\d\d)(?=[),;])")
READING = "## Further reading"


def citations(text: str) -> set[tuple[str, str]]:
    """(surname, year) pairs cited in ``text``."""
    return set(CITATION.findall(text))


def prose_and_reading(path: Path) -> tuple[str, list[str]]:
    """The lesson's Markdown before Further reading, and the Further-reading entries."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells]
    where = [i for i, s in enumerate(sources) if READING in s]
    assert where, f"{path.name} has no '{READING}' section"
    before, reading = sources[where[0]].split(READING, 1)
    prose = "\n".join(
        s for c, s in zip(cells[: where[0]], sources, strict=False) if c["cell_type"] == "markdown"
    )
    return prose + "\n" + before, re.split(r"\n- ", reading)


def test_the_citation_pattern_reads_the_lessons_forms() -> None:
    text = (
        "(Brehm, 1966; Brehm & Brehm, 1981) Beutler et al. (2011) Dowd & Sanders's (1994) "
        "Inman et al., 2019) the 2011 task force, about 72% (2011) of them"
    )
    assert citations(text) == {
        ("Brehm", "1966"), ("Brehm", "1981"), ("Beutler", "2011"), ("Sanders", "1994"),
        ("Inman", "2019"),
    }  # fmt: skip


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_every_cited_work_is_in_further_reading(path: Path) -> None:
    prose, entries = prose_and_reading(path)
    missing = sorted(
        f"{name} ({year})"
        for name, year in citations(prose)
        if not any(name in entry and year in entry for entry in entries)
    )
    assert not missing, f"{path.name}: cited but not in Further reading: {', '.join(missing)}"
