"""Plot builders for lessons 00-02: titles, axis titles, descriptions and the data shown."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import pytest

from course_lib.display import PLOTLY_MIME, Chart, describe
from course_lib.exercises.sorting import score_sorting
from course_lib.plots import theory as pt
from course_lib.theory import Determinants, reactance_strength


def _assert_finished(fig: go.Figure) -> None:
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert describe(fig)
    bundle = Chart(fig)._repr_mimebundle_()
    assert PLOTLY_MIME in bundle and fig.layout.title.text in bundle["text/plain"]


def _annotations(fig: go.Figure) -> str:
    return " ".join(a.text for a in fig.layout.annotations)


def test_bread_study_chart() -> None:
    fig = pt.bread_study_chart()
    _assert_finished(fig)
    assert list(fig.data[0].y) == [24, 70, 51]
    assert list(fig.data[0].text) == ["24%", "70%", "51%"]
    assert "Weiner & Brehm (1966), as reported in Sittenthaler et al. (2015)" in _annotations(fig)
    assert "Sittenthaler" in describe(fig) and "24%" in describe(fig)
    # 51% is still twice the baseline: the effect shrinks, it does not backfire
    assert "backfire" not in fig.layout.title.text and "shrinks" in fig.layout.title.text
    assert "twice the baseline" in describe(fig)


def test_intertwined_model_chart() -> None:
    fig = pt.intertwined_model_chart()
    _assert_finished(fig)
    text = _annotations(fig)
    for words in ("anger + negative cognitions", "Threat to freedom", "Trait reactance",
                  "Attitude", "Intention", "N = 196", "N = 200", "K = 20", "N = 4,942"):  # fmt: skip
        assert words in text, words
    assert "fully mediated" in describe(fig)


def test_determinants_chart_is_labelled_illustrative() -> None:
    d = Determinants(7, 3, 6, 2)
    fig = pt.determinants_chart(d)
    _assert_finished(fig)
    assert fig.layout.title.text.startswith("Illustrative model, not data")
    assert "ILLUSTRATIVE MODEL, NOT DATA" in _annotations(fig)
    assert describe(fig).startswith("Illustrative model, not data")
    lines = [t for t in fig.data if t.mode == "lines"]
    markers = [t for t in fig.data if t.mode == "markers"]
    assert len(lines) == 4 and len({t.line.dash for t in lines}) == 4  # not colour alone
    assert all(m.y[0] == pytest.approx(reactance_strength(d)) for m in markers)
    assert f"{reactance_strength(d):.0f} of 100" in describe(fig)


def test_dowd_sanders_chart() -> None:
    fig = pt.dowd_sanders_chart()
    _assert_finished(fig)
    heat = fig.data[0]
    assert list(heat.y) == ["Low reactance", "High reactance"]
    assert list(heat.x) == ["Symptom ego-dystonic", "Symptom ego-syntonic"]
    assert heat.text[0][0] == "Least difficult" and heat.text[1][1] == "Most difficult"
    assert "Dowd & Sanders (1994)" in _annotations(fig)


def test_sorting_score_chart() -> None:
    from course_lib.content.exercises import load_sorting_statements

    sorting = load_sorting_statements()
    choices = {s.id: s.answer for s in sorting.statements}
    choices["s05-whose-side"] = "state_reactance"
    fig = pt.sorting_score_chart(score_sorting(sorting, choices).by_category())
    _assert_finished(fig)
    names = [t.name for t in fig.data]
    assert names == ["✓ Best fit", "~ Defensible", "✗ Not this one", "? Not answered"]
    assert "Discord: 2 of 3 best fit, 1 defensible" in describe(fig)
    from course_lib.display import table_html

    table = table_html(fig)  # the counts, folded under the chart, verdicts in words
    assert '<th scope="col">✓ Best fit</th>' in table
    assert '<th scope="row">Discord</th><td>2</td><td>1</td><td>0</td><td>0</td>' in table


def _fake_lesson(folder: Path, name: str, title: str, words: int) -> None:
    cells = [{"cell_type": "markdown", "source": [f"# {title}\n", "word " * words]},
             {"cell_type": "code", "source": "x = 1"}]  # fmt: skip
    (folder / name).write_text(json.dumps({"cells": cells}), encoding="utf-8")


def test_lesson_index_and_map(tmp_path: Path) -> None:
    _fake_lesson(tmp_path, "00_intro.ipynb", "How to use", 10)
    _fake_lesson(tmp_path, "01_theory.ipynb", "Theory", 40)
    (tmp_path / "02_broken.ipynb").write_text("{", encoding="utf-8")
    (tmp_path / "notes.ipynb").write_text("{}", encoding="utf-8")
    lessons = pt.read_lesson_index(tmp_path)
    assert [(x.number, x.title, x.words) for x in lessons] == [
        ("00", "How to use", 13), ("01", "Theory", 41)]  # fmt: skip
    fig = pt.lesson_map_chart(lessons)
    _assert_finished(fig)
    assert list(fig.data[0].x) == [13, 41]
    assert "lesson 01 (41 words" in describe(fig)


def test_lesson_map_with_no_lessons() -> None:
    fig = pt.lesson_map_chart([])
    _assert_finished(fig)
    assert "No lesson notebooks" in describe(fig)


def test_lesson_index_defaults_and_title_prefixes(tmp_path: Path, monkeypatch) -> None:
    empty = tmp_path / "repo"
    (empty / "notebooks" / "lessons").mkdir(parents=True)
    work = tmp_path / "work"
    work.mkdir()
    _fake_lesson(work, "03_faces.ipynb", "Lesson 03 · The two faces", 5)
    _fake_lesson(work, "04_scoring.ipynb", "04 Scoring sample cases", 5)
    monkeypatch.setattr(pt.paths, "REPO_DIR", empty)
    monkeypatch.chdir(work)
    assert [x.title for x in pt.read_lesson_index()] == ["The two faces", "Scoring sample cases"]


def test_lesson_index_of_the_real_course_lists_lessons_00_to_02() -> None:
    numbers = [x.number for x in pt.read_lesson_index()]
    assert {"00", "01", "02"} <= set(numbers)
