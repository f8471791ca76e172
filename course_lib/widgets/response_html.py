"""Pure HTML builders for response practice and worked sessions (no widgets, easy to test).

* :func:`moment_html`: a moment as the student reads it (client, context, words);
* :func:`options_html`: the offered responses, lettered, without verdicts;
* :func:`writing_html`: a moment the student answers in their own words, with the task;
* :func:`feedback_html`: after a commit, the verdict and feedback on *every* option;
* :func:`progress_text`: how many moments are committed and with what verdicts;
* :func:`session_html`: a worked session's transcript with its annotations.

Verdicts are always shown as a symbol and a word, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from course_lib.content.responses import VERDICT_LABELS, MomentBase
from course_lib.content.responses import Moment as LessonMoment
from course_lib.content.sessions import DIRECTIVENESS_LEVELS, WorkedSession

VERDICT_SYMBOLS = {"best": "✓", "acceptable": "~", "poor": "✗"}
P = "<p style='margin:2px 0'>"


def verdict_text(verdict: str) -> str:
    """A verdict as symbol and word, e.g. ``✓ Best``."""
    return f"{VERDICT_SYMBOLS[verdict]} {VERDICT_LABELS[verdict]}"


def moment_html(moment: MomentBase, number: int | None = None) -> str:
    """The moment: title, kind, who the client is, what just happened, the client's words."""
    prefix = f"{number}. " if number is not None else ""
    return (
        f"<section aria-label='Moment: {escape(moment.title)}'>"
        f"<h3 style='margin-bottom:4px'>{prefix}{escape(moment.title)}</h3>"
        f"{P}<em>{escape(moment.kind_label)} · practice material, a fictional client</em></p>"
        f"{P}<strong>The client:</strong> {escape(moment.client)}</p>"
        f"{P}<strong>What just happened:</strong> {escape(moment.context)}</p>"
        f"<blockquote style='border-left:3px solid #999;margin:6px 0;padding-left:8px'>"
        f"<strong>The client says:</strong> {escape(moment.client_says)}</blockquote></section>"
    )


def options_html(moment: MomentBase) -> str:
    """The offered responses as a lettered list (no verdicts)."""
    items = "".join(
        f"<li><strong>({escape(o.id)})</strong> {escape(o.text)}</li>"
        for o in getattr(moment, "options", [])
    )
    return f"<ul style='list-style:none;padding-left:0'>{items}</ul>" if items else ""


def writing_html(moment: MomentBase) -> str:
    """A moment answered in the student's own words: the moment, then the task."""
    task = moment.write_prompt or "Write what you would say next."
    return f"{moment_html(moment)}{P}<strong>Your task:</strong> {escape(task)}</p>"


def feedback_html(moment: LessonMoment, chosen: str | None) -> str:
    """Feedback on every option of a committed moment, the student's choice marked."""
    rows = []
    for option in moment.options:
        mine = " <strong>(your choice)</strong>" if option.id == chosen else ""
        rows.append(
            f"<li style='margin-bottom:6px'><strong>({escape(option.id)}) "
            f"{escape(verdict_text(option.verdict))}</strong>{mine}<br>"
            f"<span style='font-style:italic'>{escape(option.text)}</span><br>"
            f"{escape(option.feedback)}</li>"
        )
    picked = next((o for o in moment.options if o.id == chosen), None)
    head = (
        f"You chose ({escape(picked.id)}), rated <strong>{escape(VERDICT_LABELS[picked.verdict].lower())}"
        "</strong>."
        if picked is not None
        else "No response was chosen."
    )
    return (
        f"<div>{P}{head} Here is the feedback on every response.</p>"
        f"<ul style='list-style:none;padding-left:0'>{''.join(rows)}</ul>"
        f"{P}<strong>To take away:</strong> {escape(moment.takeaway)}</p></div>"
    )


def progress_text(moments: Sequence[LessonMoment], committed: dict[str, str]) -> str:
    """A plain sentence: how many moments are committed, and their verdicts.

    ``committed`` maps the id of every committed moment to the option chosen.
    """
    done = [(m, committed[m.id]) for m in moments if m.id in committed]
    if not done:
        return f"No moment committed yet ({len(moments)} to practise)."
    counts = {v: 0 for v in VERDICT_LABELS}
    for moment, choice in done:
        counts[moment.option(choice).verdict] += 1
    return (
        f"Committed {len(done)} of {len(moments)} moments: {counts['best']} best, "
        f"{counts['acceptable']} acceptable, {counts['poor']} poor."
    )


def session_html(session: WorkedSession) -> str:
    """A worked session: who and where, then each turn with its annotation."""
    turns = []
    for turn in session.turns:
        minute = f"{int(turn.minute)}:{int(round(turn.minute % 1 * 60)):02d}"
        note = ""
        if turn.note:
            label = "Why" if turn.speaker == "Therapist" else "Notice"
            level = ""
            if turn.directiveness is not None:
                words = DIRECTIVENESS_LEVELS[turn.directiveness].split(":")[0]
                level = f" <em>(directiveness {turn.directiveness}, {escape(words)})</em>"
            note = (
                f"<div style='margin:2px 0 8px 2em;font-size:92%;border-left:3px solid #0072B2;"
                f"padding-left:6px'><strong>{label}:</strong>{level} {escape(turn.note)}</div>"
            )
        turns.append(
            f"<div>{P}<span style='color:#555'>{minute}</span> "
            f"<strong>{escape(turn.speaker)}:</strong> {escape(turn.text)}</p>{note}</div>"
        )
    return (
        f"<section aria-label='Worked session: {escape(session.title)}'>"
        f"<h3 style='margin-bottom:4px'>{escape(session.title)}</h3>"
        f"{P}<em>{escape(session.notice)}</em></p>"
        f"{P}<strong>The client:</strong> {escape(session.client)}</p>"
        f"{P}<strong>The setting:</strong> {escape(session.setting)}</p>"
        f"<div role='group' aria-label='Transcript with annotations'>{''.join(turns)}</div>"
        f"{P}<strong>Where it goes next:</strong> {escape(session.after)}</p></section>"
    )
