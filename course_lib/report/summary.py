"""The report's short terminal summary: the flagged questions and the most misjudged markers."""

from __future__ import annotations

from course_lib.report.model import ClassReport, ItemStat, MarkerStat

#: How many markers the summary names.
TOP_MARKERS = 3


def _item_line(item: ItemStat) -> str:
    figures = []
    if item.difficulty is not None:
        figures.append(f"difficulty {item.difficulty:.2f}")
    if item.discrimination is not None:
        figures.append(f"discrimination {item.discrimination:.2f}")
    return (
        f"  {item.assignment} / {item.grade_id} “{item.title}”: {item.flag} ({', '.join(figures)})"
    )


def misjudged(report: ClassReport, top: int = TOP_MARKERS) -> list[MarkerStat]:
    """The ``top`` markers the class misjudged most (largest |mean signed difference|)."""
    rated = [m for m in report.markers if m.mean_signed_diff is not None and m.n > 0]
    return sorted(rated, key=lambda m: (-abs(m.mean_signed_diff or 0.0), m.case_id, m.marker))[:top]


def marker_sentence(report: ClassReport, marker: MarkerStat) -> str:
    """E.g. "the class over-rates Covert opposition in Emyr's hill farm by 0.8 points"."""
    diff = marker.mean_signed_diff or 0.0
    titles = {(a.assignment, a.case_id): a.title for a in report.agreement}
    case = titles.get((marker.assignment, marker.case_id), marker.case_id)
    name = marker.marker_name or marker.marker
    if diff == 0:
        return f"the class matches the key on {name} in {case}"
    direction = "over-rates" if diff > 0 else "under-rates"
    return (
        f"the class {direction} {name} in {case} by {abs(diff):.1f} points "
        f"(key {marker.key_rating}, class mean {marker.class_mean:.2f}, n = {marker.n})"
    )


def terminal_summary(report: ClassReport) -> str:
    """A few lines for the terminal: flagged questions, then the three most misjudged markers."""
    flagged = [i for i in report.items if i.flag]
    lines = [f"Flagged questions ({len(flagged)} of {len(report.items)}):"]
    lines += [_item_line(i) for i in flagged] or ["  none"]
    worst = misjudged(report)
    lines.append("Most misjudged markers:")
    lines += [f"  {marker_sentence(report, m)}" for m in worst] or [
        "  none (no case ratings in this folder)"
    ]
    lines += [f"Note: {n}" for n in report.notes]
    return "\n".join(lines)
