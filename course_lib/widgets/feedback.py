"""Pure HTML builders for the case scorer: the case text, the feedback, the running summary.

Everything here takes data and returns an HTML string (all text escaped), so the feedback
can be tested without a widget or a browser. Verdicts always carry a symbol and a word,
never colour alone.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from course_lib.content.rubric import LEVELS

if TYPE_CHECKING:
    from course_lib.answers import CaseAnswer
    from course_lib.content.cases import Alternative, Case
    from course_lib.content.rubric import Marker, Rubric
    from course_lib.scoring.compare import AgreementSummary, CaseComparison
    from course_lib.scoring.placement import Placement

TRAIT_STATE_LABELS = {
    "trait": "Trait: a stable pattern across settings and over time",
    "state": "State: tied to this situation (for example a mandate, a rupture, a loss or a role)",
}
CHOICE_NAMES = {"band": "band", "trait_or_state": "trait or state", "stance": "opening stance"}
TICK, CROSS, APPROX = "✓", "✗", "≈"
LEFT = "style='text-align:left'"  # JupyterLab right-aligns table cells by default


def case_html(case: Case) -> str:
    """The case as students read it: title, client, concern, referral, vignette, excerpt."""
    c = case.client
    turns = "".join(
        f"<p style='margin:2px 0'><strong>{escape(t.speaker)}:</strong> {escape(t.text)}</p>"
        for t in case.excerpt
    )
    return (
        f"<section aria-label='Case {escape(case.id)}'>"
        f"<h3 style='margin-bottom:4px'>{escape(case.title)}</h3>"
        f"<p style='margin:2px 0'><em>Practice material: a fictional client "
        f"({escape(case.difficulty)} case).</em></p>"
        f"<p style='margin:2px 0'><strong>Client:</strong> {escape(c.name)}, {c.age}, "
        f"{escape(c.pronouns)}. {escape(c.background)}</p>"
        f"<p style='margin:2px 0'><strong>Presenting concern:</strong> "
        f"{escape(case.presenting_concern)}</p>"
        f"<p style='margin:2px 0'><strong>Referral:</strong> {escape(case.referral_context)}</p>"
        f"<p>{escape(case.vignette)}</p>"
        f"<div role='group' aria-label='Session excerpt' "
        f"style='border-left:3px solid #999;padding-left:8px'>{turns}</div></section>"
    )


def marker_note_html(marker: Marker) -> str:
    """A marker's description, pole, evidence type and (folded) 0-3 anchors."""
    anchors = "".join(
        f"<li><strong>{level}</strong>: {escape(marker.levels[level])}</li>" for level in LEVELS
    )
    return (
        f"<div style='margin:0 0 8px 1em;font-size:90%'>{escape(marker.description)} "
        f"<em>({escape(marker.pole)} pole, {escape(marker.evidence)} evidence)</em>"
        f"<details><summary>Anchors for 0-3</summary><ul>{anchors}</ul></details></div>"
    )


def rating_echo_html(marker: Marker, value: int | None) -> str:
    """The selected rating in words (the toggle's shading alone is not enough)."""
    if value is None:
        return "<div style='margin-left:1em;font-size:90%'>Your rating: not rated yet.</div>"
    return (
        f"<div style='margin-left:1em;font-size:90%'>Your rating: <strong>{value}</strong>"
        f" ({escape(marker.levels[value])})</div>"
    )


def missing_names(answer: CaseAnswer, rubric: Rubric) -> list[str]:
    """What is still unanswered, in words (marker names, then band / trait or state / stance)."""
    out = []
    for gap in answer.missing(rubric.marker_ids()):
        out.append(CHOICE_NAMES.get(gap) or rubric.marker(gap).name)
    return out


def _difference(diff: int | None) -> str:
    if diff is None:
        return f"{CROSS} not rated"
    if diff == 0:
        return f"{TICK} same"
    side = "higher" if diff > 0 else "lower"
    return f"{diff:+d} (you rated {side})"


def _label(items: dict[str, str], value: str | None) -> str:
    return "no answer" if value is None else items.get(value, value)


def _placement_text(placed: Placement, band_labels: dict[str, str]) -> str:
    return (
        f"position {placed.position:+.2f} (oppositional mean {placed.oppositional_mean:.1f}, "
        f"compliant mean {placed.compliant_mean:.1f}), {band_labels[placed.band]}"
    )


def _verdict(
    hit: bool, what: str, yours: str, expert: str, alternative: Alternative | None = None
) -> str:
    if hit:
        return f"<li><strong>{TICK} {what}: matches.</strong> You and the expert chose {escape(expert)}.</li>"
    if alternative is not None:
        return (
            f"<li><strong>{APPROX} {what}: defensible ({alternative.credit:.0%} of the credit)."
            f"</strong> You chose {escape(yours)}; the expert chose {escape(expert)}. "
            f"{escape(alternative.reason)}</li>"
        )
    return (
        f"<li><strong>{CROSS} {what}: differs.</strong> You chose {escape(yours)}; "
        f"the expert chose {escape(expert)}.</li>"
    )


def feedback_html(
    comparison: CaseComparison, rubric: Rubric, answer: CaseAnswer | None = None
) -> str:
    """Feedback for one checked case: markers with cues, verdicts, placement, rationale."""
    key = comparison.key
    poles = {m.id: m.pole for m in rubric.markers}
    rows = "".join(
        f"<tr><th scope='row' {LEFT}>{escape(m.name)}</th>"
        f"<td {LEFT}>{escape(poles.get(m.marker_id, ''))}</td>"
        f"<td>{'–' if m.student is None else m.student}</td><td>{m.expert}</td>"
        f"<td {LEFT}>{escape(_difference(m.difference))}</td><td {LEFT}>{escape(m.cue)}</td></tr>"
        for m in comparison.markers
    )
    table = (
        "<table style='border-collapse:collapse' cellpadding='4'>"
        f"<caption {LEFT}>Your ratings and the expert's, marker by marker</caption>"
        f"<thead><tr><th scope='col' {LEFT}>Marker</th><th scope='col' {LEFT}>Pole</th>"
        "<th scope='col'>You</th><th scope='col'>Expert</th>"
        f"<th scope='col' {LEFT}>Difference</th><th scope='col' {LEFT}>Expert's cue</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )
    bands = {b.id: b.label for b in rubric.placement.bands}
    stances = {s.id: s.label for s in rubric.stances}
    band_yours = _label(bands, answer.band) if answer else "a different band"
    ts_yours = _label(TRAIT_STATE_LABELS, answer.trait_or_state) if answer else "the other"
    st_yours = _label(stances, answer.stance) if answer else "a different stance"
    def alt(choice: str) -> Alternative | None:
        return key.alternative(choice, getattr(answer, choice)) if answer is not None else None

    verdicts = (
        "<ul>"
        + _verdict(comparison.band_hit, "Band", band_yours, bands[key.band], alt("band"))
        + _verdict(
            comparison.trait_state_hit,
            "Trait or state",
            ts_yours,
            TRAIT_STATE_LABELS[key.trait_or_state],
            alt("trait_or_state"),
        )
        + _verdict(
            comparison.stance_hit, "Opening stance", st_yours, stances[key.stance], alt("stance")
        )
        + "</ul>"
    )
    placement = f"<li>Expert's ratings: {escape(_placement_text(comparison.expert, bands))}.</li>"
    if comparison.student is not None:
        placement = (
            f"<li>Your ratings: {escape(_placement_text(comparison.student, bands))}.</li>"
            + placement
        )
        if answer is not None and answer.band not in (None, comparison.student.band):
            placement += (
                "<li>Note: by the rubric's rule your own ratings fall in the "
                f"{escape(comparison.student.band)} band, but you chose the "
                f"{escape(answer.band)} band.</li>"
            )
    kappa = (
        f"{comparison.weighted_kappa:.2f}"
        if comparison.weighted_kappa is not None
        else "undefined for this case (you and the expert gave every marker the same single rating)"
    )
    n = len(comparison.markers)
    agreement = (
        f"<p>Exact agreement on {comparison.exact_matches} of {n} markers; "
        f"quadratic-weighted kappa {escape(kappa)} (1 is perfect agreement, 0 is chance level)."
        "</p>"
    )
    return (
        f"<section aria-label='Feedback for {escape(comparison.case_id)}'>"
        "<h4>Feedback: your answers compared with the expert's key</h4>"
        f"{table}{agreement}<h4>Verdicts</h4>{verdicts}"
        f"<h4>Placement on the spectrum</h4><ul>{placement}</ul>"
        f"<h4>The expert's reasoning</h4><p>{escape(key.rationale)}</p></section>"
    )


def summary_html(summary: AgreementSummary) -> str:
    """The running summary across every checked case."""
    if summary.n_cases == 0:
        return "<p>No case checked yet: your running agreement appears here.</p>"

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.0%}"

    kappa = "undefined" if summary.weighted_kappa is None else f"{summary.weighted_kappa:.2f}"
    return (
        "<section aria-label='Running summary'><h4>Running summary across checked cases</h4>"
        f"<ul><li>Cases checked: {summary.n_cases} ({summary.n_ratings} marker ratings)</li>"
        f"<li>Quadratic-weighted kappa (all ratings pooled): {kappa}</li>"
        f"<li>Exact agreement on marker ratings: {pct(summary.exact_agreement)}</li>"
        f"<li>Band correct: {pct(summary.band_accuracy)}</li>"
        f"<li>Trait or state correct: {pct(summary.trait_state_accuracy)}</li>"
        f"<li>Opening stance correct: {pct(summary.stance_accuracy)}</li></ul></section>"
    )
