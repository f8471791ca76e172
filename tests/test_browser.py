"""Real-browser tests: the case scorer in JupyterLab, driven by Chromium as a student would.

Lesson 04 and the released a2 notebook each run the path that once blocked the course
(issue 8): rate and Check one case, *Restart Kernel and Run All*, choose another case, rate
it, Check, and see the feedback (lesson 04) or the saved-for-grading message (a2). Each test
works on temporary copies, and checks the save file the grader reads.

Skipped when ``/usr/bin/chromium`` or ``playwright`` is missing, unless
``COURSE_REQUIRE_BROWSER=1``, in which case their absence is a failure. A failing step names
itself and the screenshot taken at that moment.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    TRACKER_PLUGIN,
    LabServer,
    NotebookDriver,
    start_lab,
)
from conftest import LESSONS, REPO

pytestmark = pytest.mark.browser

LESSON04 = "04_scoring_sample_cases.ipynb"
RUN_ALL_TIMEOUT_MS = 150_000  # first Run All: kernel start, imports, first plotly bundle




def _serve(tmp_path: Path, request: pytest.FixtureRequest, files: dict[str, Path]) -> LabServer:
    """JupyterLab on a temporary folder holding copies of ``files`` (name -> source)."""
    root = tmp_path / "work"
    root.mkdir()
    for name, source in files.items():
        shutil.copy(source, root / name)
    server = start_lab(root, tmp_path / "state")
    request.addfinalizer(server.stop)
    server.wait_ready()
    settings = server.get_json(f"lab/api/settings/{TRACKER_PLUGIN}")
    assert settings["settings"]["windowingMode"] == "none", settings  # type: ignore[index]
    return server


def _saved(path: Path, case_id: str, timeout: float = 20.0) -> dict[str, Any]:
    """Poll a save file until the case is marked checked (or the timeout passes)."""
    deadline = time.monotonic() + timeout
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        try:
            last = json.loads(path.read_text(encoding="utf-8"))["cases"][case_id]
            if last.get("checked") is True:
                return last
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.25)
    return last


def _scorer_prompt(page: Any) -> Any:
    """The input prompt (``[n]:``) of the code cell that shows the case scorer."""
    cell = page.locator(".jp-CodeCell").filter(has=page.locator(".course-choice")).first
    return cell.locator(".jp-InputPrompt").first


def _restart_and_run_all(nb: NotebookDriver) -> None:
    """Restart and Run All, then wait for a *new* scorer view and an idle kernel.

    The scorer's views on screen are marked first: execution counts can repeat after a
    restart, so only a view without the mark proves the cell ran again.
    """
    from playwright.sync_api import expect

    page = nb.page
    page.evaluate(  # type: ignore[attr-defined]
        "() => document.querySelectorAll('.course-choice')"
        ".forEach(e => e.setAttribute('data-before-restart', '1'))"
    )
    nb.restart_and_run_all()
    fresh = page.locator(".course-choice:not([data-before-restart])")  # type: ignore[attr-defined]
    expect(fresh.first).to_be_visible(timeout=RUN_ALL_TIMEOUT_MS)
    nb.wait_kernel_idle()


def _scorer(page: Any) -> Any:
    from playwright.sync_api import expect

    check = page.get_by_role("button", name="Check my answers")
    expect(check).to_be_visible(timeout=RUN_ALL_TIMEOUT_MS)
    return page.locator(".widget-vbox").filter(has=check).last


def _group(scorer: Any, name: str, case_label: str) -> Any:
    return scorer.get_by_role("radiogroup", name=f"{name}, case {case_label}", exact=True)


def _rate(scorer: Any, rubric: Any, case_label: str, answers: dict[str, Any]) -> None:
    """Click every marker's rating and the three choices, as a student does with a mouse."""
    from playwright.sync_api import expect

    for marker in rubric.markers:
        group = _group(scorer, marker.name, case_label)
        expect(group).to_be_enabled()
        rating = answers["ratings"][marker.id]
        group.locator(".course-choice__face").nth(rating).click()
        expect(group.get_by_role("radio").nth(rating)).to_be_checked()
    for name, label in (
        ("Band", answers["band_label"]),
        ("Trait or state", answers["trait_label"]),
        ("Opening stance", answers["stance_label"]),
    ):
        group = _group(scorer, name, case_label)
        group.locator(".course-choice__face", has_text=label).first.click()
        expect(group.get_by_role("radio", checked=True)).to_have_count(1)


def _answers(rubric: Any, ratings: dict[str, int], band: str, trait: str, stance: str) -> dict:
    from course_lib.widgets.feedback import TRAIT_STATE_LABELS

    return {
        "ratings": ratings,
        "band_label": next(b.label for b in rubric.placement.bands if b.id == band),
        "trait_label": TRAIT_STATE_LABELS[trait].split(":")[0] + ":",
        "stance_label": next(s.label for s in rubric.stances if s.id == stance),
        "band": band,
    }


def _key_answers(rubric: Any, case: Any) -> dict[str, Any]:
    from course_lib.content import load_case_key

    key = load_case_key(case, rubric=rubric)
    ratings = {m: r.rating for m, r in key.ratings.items()}
    return {**_answers(rubric, ratings, key.band, key.trait_or_state, key.stance), "key": key}


def _focused(page: Any) -> dict[str, str]:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e ? e.tagName : '', text: e ? e.textContent.trim() : ''}; }"
    )


def test_lesson04_check_restart_run_all_switch_case_rate_and_check(
    page: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The issue 8 blocker, exactly: after a restart, a second case can be rated and checked."""
    from playwright.sync_api import expect

    from course_lib.content import load_cases, load_rubric
    from course_lib.widgets.case_scorer import short_label

    rubric = load_rubric()
    first, second = load_cases(which="practice")[:2]  # the scorer opens on the first case
    lab = _serve(tmp_path, request, {LESSON04: LESSONS / LESSON04})
    nb = NotebookDriver(page, lab, LESSON04, tmp_path / "screenshots")
    save = lab.root / "lesson04.answers.json"

    with nb.step("open the lesson: no instructor tools, no news pop-up"):
        nb.open()
        expect(page.get_by_text("Validate", exact=True)).to_have_count(0)
        expect(page.get_by_text("Create Assignment")).to_have_count(0)
        expect(page.get_by_text("Jupyter news")).to_have_count(0)
    with nb.step("Run All"):
        nb.run_all()
        scorer = _scorer(page)
        nb.wait_all_ran(RUN_ALL_TIMEOUT_MS)
    with nb.step("rate the first case and Check"):
        one = _key_answers(rubric, first)
        _rate(scorer, rubric, short_label(first), one)
        scorer.get_by_role("button", name="Check my answers").click()
        expect(scorer.get_by_role("heading", name=f"Feedback on {first.title}")).to_be_visible()
        expect(scorer.locator(".widget-output").first).to_contain_text(
            one["key"].rationale.split(".")[0][:60]
        )
        expect(scorer.locator(".js-plotly-plot").first).to_be_visible()
    with nb.step("focus moved to the feedback, not the page body"):
        focused = _focused(page)
        assert focused == {"tag": "H4", "text": f"Feedback on {first.title}"}, focused
    with nb.step("the first case is saved as checked"):
        saved = _saved(save, first.id)
        assert saved.get("checked") is True and saved.get("ratings") == one["ratings"], saved

    with nb.step("Restart Kernel and Run All Cells"):
        _restart_and_run_all(nb)
        scorer = _scorer(page)
    with nb.step("the checked case comes back locked, saying so"):
        locked = _group(scorer, rubric.markers[0].name, short_label(first))
        expect(locked).to_be_disabled()
        expect(locked).to_contain_text("(locked)")
        expect(scorer.get_by_role("status").filter(has_text="locked").first).to_be_visible()
    with nb.step("choose the second case: every control is enabled again"):
        scorer.get_by_label("Case", exact=True).select_option(label=f"{second.title} ({second.id})")
        for marker in rubric.markers:
            expect(_group(scorer, marker.name, short_label(second))).to_be_enabled()
        expect(scorer.get_by_role("button", name="Check my answers")).to_be_enabled()
    with nb.step("rate the second case and Check: its feedback appears"):
        two = _key_answers(rubric, second)
        _rate(scorer, rubric, short_label(second), two)
        scorer.get_by_role("button", name="Check my answers").click()
        expect(scorer.get_by_role("heading", name=f"Feedback on {second.title}")).to_be_visible()
        expect(scorer.locator(".widget-output").first).to_contain_text(
            two["key"].rationale.split(".")[0][:60]
        )
        assert _focused(page)["text"] == f"Feedback on {second.title}"
    with nb.step("both cases are saved as checked"):
        saved = _saved(save, second.id)
        assert saved.get("ratings") == two["ratings"] and saved.get("band") == two["band"], saved
        assert _saved(save, first.id).get("checked") is True
    with nb.step("no news pop-up appeared during the whole session"):
        expect(page.get_by_text("Jupyter news")).to_have_count(0)


def test_a2_released_check_restart_run_all_switch_case_rate_and_check(
    page: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The same path in the released assignment, whose own last step says to restart.

    Outside JupyterHub the notebook first asks for the student id (a message, no traceback);
    the student types it in the id cell, and the scorer shows that student's own cases.
    """
    from playwright.sync_api import expect

    from course_lib.content import case_path, load_case, load_rubric
    from course_lib.exercises.assignment_checks import A2_ANSWERS_FILE
    from course_lib.grading.release import release
    from course_lib.variants import SALT_FILE, variant_for
    from course_lib.widgets.case_scorer import short_label

    student, salt = "amara", "browser-test-salt"
    rubric = load_rubric()
    mine = variant_for(student, salt).a2_cases
    first, second = (load_case(case_path(cid), rubric) for cid in mine[:2])
    released = tmp_path / "release"
    release(released, REPO / "notebooks" / "course", salt=salt)
    lab = _serve(
        tmp_path,
        request,
        {
            "a2_cases.ipynb": released / "a2_cases" / "a2_cases.ipynb",
            SALT_FILE: released / "a2_cases" / SALT_FILE,
        },
    )
    nb = NotebookDriver(page, lab, "a2_cases.ipynb", tmp_path / "screenshots")
    save = lab.root / A2_ANSWERS_FILE
    some = {m.id: i % 4 for i, m in enumerate(rubric.markers)}
    answers = _answers(rubric, some, "mid", "state", "collaborative")

    with nb.step("open the released a2 and Run All: it asks for the student id, no traceback"):
        nb.open()
        nb.run_all()
        expect(page.get_by_text("Type your student id between the quotes")).to_be_visible(
            timeout=RUN_ALL_TIMEOUT_MS
        )
        assert not any("Traceback" in e or "File " in e for e in nb.errors()), nb.errors()
        nb.wait_kernel_idle()
    with nb.step("type the student id in the id cell, then Run All"):
        cell = page.locator(".jp-CodeCell").filter(has_text="STUDENT_ID = ").first
        editor = cell.locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.type(f'STUDENT_ID = "{student}"')
        expect(editor).to_have_text(f'STUDENT_ID = "{student}"')
        nb.run_all()
        scorer = _scorer(page)
        expect(_scorer_prompt(page)).to_have_text(re.compile(r"\[\d+\]"))
        nb.wait_kernel_idle()
        expect(page.get_by_text("typed in the student id cell")).to_be_visible()
        for case_id in mine:  # the notebook lists the student's own four cases
            expect(page.get_by_text(case_id, exact=True).first).to_be_visible()
    with nb.step("rate case 1 and Check: saved for grading, focus on the message"):
        _rate(scorer, rubric, short_label(first), answers)
        scorer.get_by_role("button", name="Check my answers").click()
        message = scorer.get_by_role("status").filter(has_text="Saved for grading").first
        expect(message).to_be_visible()
        assert "Saved for grading" in _focused(page)["text"]
        assert _saved(save, first.id).get("ratings") == some
    with nb.step("Restart Kernel and Run All Cells"):
        _restart_and_run_all(nb)
        scorer = _scorer(page)
        expect(_group(scorer, rubric.markers[0].name, short_label(first))).to_be_disabled()
    with nb.step("choose case 2; its first rating group works from the keyboard"):
        picker = scorer.get_by_label("Case", exact=True)
        picker.select_option(label=f"{second.title} ({second.id})")
        for marker in rubric.markers:  # the kernel has unlocked the new case
            expect(_group(scorer, marker.name, short_label(second))).to_be_enabled()
        picker.focus()
        page.keyboard.press("Tab")
        first_marker = f"{rubric.markers[0].name}, case {short_label(second)}"
        focused = page.evaluate(
            "() => { const e = document.activeElement; const face = e.nextElementSibling;"
            " return {name: e.getAttribute('aria-label') || e.outerHTML.slice(0, 120),"
            " outline: face ? getComputedStyle(face).outlineWidth : ''}; }"
        )
        assert focused == {"name": f"0, {first_marker}", "outline": "3px"}, focused
        page.keyboard.press("ArrowRight")  # arrow keys move and choose inside the group
        expect(
            _group(scorer, rubric.markers[0].name, short_label(second)).get_by_role(
                "radio", name=f"1, {first_marker}"
            )
        ).to_be_checked()
        page.keyboard.press("Tab")  # one tab stop per group: Tab leaves it
        left = page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
        assert not left.endswith(first_marker), left
    with nb.step("rate the rest of case 2 and Check"):
        _rate(scorer, rubric, short_label(second), answers)
        scorer.get_by_role("button", name="Check my answers").click()
        expect(
            scorer.get_by_role("status").filter(has_text="Saved for grading").first
        ).to_be_visible()
    with nb.step("both cases are in the file the grader reads; no key was shown"):
        assert _saved(save, second.id).get("ratings") == some
        assert _saved(save, first.id).get("checked") is True
        assert "Expert" not in scorer.inner_text()


def test_lesson06_response_practice_commit_feedback_writing_and_restart(
    page: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Lesson 06: commit to a response, see feedback on every option, write and save one's
    own response, and find both again after Restart Kernel and Run All."""
    from playwright.sync_api import expect

    from course_lib.content.responses import load_lesson_moments

    notebook = "06_what_to_say.ipynb"
    moments = load_lesson_moments("oppositional").moments
    first = moments[0]
    writer_index, writer = next((i, m) for i, m in enumerate(moments, 1) if m.write_prompt)
    lab = _serve(tmp_path, request, {notebook: LESSONS / notebook})
    nb = NotebookDriver(page, lab, notebook, tmp_path / "screenshots")
    save = lab.root / "lesson06.answers.json"
    own_words = "It sounds like the plan I offered did not fit your week. What would?"

    def practice() -> Any:
        """The oppositional pole's widget (the first of the lesson's two)."""
        commit = page.get_by_role("button", name="Commit my response").first
        expect(commit).to_be_visible(timeout=RUN_ALL_TIMEOUT_MS)
        return (
            page.locator(".widget-vbox")
            .filter(
                has=page.get_by_role("radiogroup", name=f"Choose a response, moment: {first.title}")
            )
            .filter(has=page.get_by_role("button", name="Commit my response"))
            .first
        )

    with nb.step("open lesson 06 and Run All"):
        nb.open()
        nb.run_all()
        widget = practice()
        nb.wait_all_ran(RUN_ALL_TIMEOUT_MS)
    with nb.step("commit to a response: feedback on every option, focus on it"):
        group = widget.get_by_role("radiogroup", name=f"Choose a response, moment: {first.title}")
        best = first.options.index(first.best)
        group.locator(".course-choice__face").nth(best).click()
        widget.get_by_role("button", name="Commit my response").click()
        feedback = widget.locator(".widget-html").filter(
            has_text="Here is the feedback on every response"
        )
        expect(feedback).to_be_visible()
        for option in first.options:
            expect(feedback).to_contain_text(option.feedback[:60])
        expect(group).to_be_disabled()
        assert _focused(page)["tag"] == "H4", _focused(page)
    with nb.step("write and save one's own response to a moment that asks for it"):
        label = f"{writer_index}. {writer.title} ({writer.kind_label})"
        widget.get_by_label("Moment", exact=True).select_option(label=label)
        box = widget.get_by_label("Your own response")
        expect(box).to_be_visible()
        box.fill(own_words)
        widget.get_by_role("button", name="Save my written response").click()
        deadline = time.monotonic() + 20
        while own_words not in (save.read_text(encoding="utf-8") if save.exists() else ""):
            assert time.monotonic() < deadline, "the written response never reached the file"
            time.sleep(0.25)
    with nb.step("Restart Kernel and Run All: the commitment and the writing come back"):
        page.evaluate(
            "() => document.querySelectorAll('.course-choice')"
            ".forEach(e => e.setAttribute('data-before-restart', '1'))"
        )
        nb.restart_and_run_all()
        fresh = page.locator(".course-choice:not([data-before-restart])")
        expect(fresh.first).to_be_visible(timeout=RUN_ALL_TIMEOUT_MS)
        nb.wait_kernel_idle()
        widget = practice()
        group = widget.get_by_role("radiogroup", name=f"Choose a response, moment: {first.title}")
        expect(group).to_be_disabled()
        expect(widget.get_by_text("Here is the feedback on every response")).to_be_visible()
        widget.get_by_label("Moment", exact=True).select_option(label=label)
        expect(widget.get_by_label("Your own response")).to_have_value(own_words)
