"""How fast the course feels to a student: import, first chart, scoring a case.

Run: ``.venv/bin/python benchmarks/student_speed.py`` (prints figures; not a test).

* ``import course_lib`` in fresh interpreters (target < 0.3 s),
* import + build + serialise the first chart through ``course_lib.display.Chart`` in a
  fresh interpreter, and whether ``nbformat`` got imported on the way (it must not be:
  it costs about two seconds),
* in-process: scoring one case (``compare_case``, which applies ``place``) and redrawing
  its spectrum chart (target < 50 ms), median of 20 runs; plus a full Check click.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS_FRESH = 5
RUNS_WARM = 20
IMPORT_TARGET, SCORE_TARGET = 0.3, 0.050
CASE_ID = "p01-marcus-fence"

IMPORT_CHILD = """
import time
t0 = time.perf_counter()
import course_lib
print(time.perf_counter() - t0)
"""

CHART_CHILD = f"""
import json, sys, time
t0 = time.perf_counter()
import course_lib
from course_lib.content import case_path, load_case, load_rubric
from course_lib.display import Chart
from course_lib.plots.cases import spectrum_figure
t1 = time.perf_counter()
rubric = load_rubric()
key = load_case(case_path({CASE_ID!r}), rubric).key
from course_lib.scoring.placement import place
placed = place({{m: r.rating for m, r in key.ratings.items()}}, rubric)
fig = spectrum_figure([("Expert", placed)], rubric=rubric)
t2 = time.perf_counter()
payload = json.dumps(Chart(fig)._repr_mimebundle_())
t3 = time.perf_counter()
print(json.dumps({{
    "import": t1 - t0, "build": t2 - t1, "serialise": t3 - t2, "total": t3 - t0,
    "bytes": len(payload),
    "nbformat": "nbformat" in sys.modules,
    "plotly_renderers": "plotly.io._renderers" in sys.modules,
}}))
"""


def _fresh(code: str) -> tuple[str, float]:
    """Run ``code`` in a fresh interpreter; return its stdout and the wall time."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path.cwd()
    )
    return done.stdout.strip(), time.perf_counter() - t0


def _median_ms(fn: object, runs: int = RUNS_WARM) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def bench_import() -> None:
    baseline = statistics.median(_fresh("pass")[1] for _ in range(RUNS_FRESH))
    inner, wall = [], []
    for _ in range(RUNS_FRESH):
        out, seconds = _fresh(IMPORT_CHILD)
        inner.append(float(out))
        wall.append(seconds)
    inside = statistics.median(inner)
    verdict = "OK" if inside < IMPORT_TARGET else "OVER TARGET"
    print(f"import course_lib (fresh process, median of {RUNS_FRESH}):")
    print(f"  import itself          {inside * 1000:8.1f} ms   target < 300 ms: {verdict}")
    print(f"  whole process (wall)   {statistics.median(wall) * 1000:8.1f} ms")
    print(f"  bare interpreter       {baseline * 1000:8.1f} ms")


def bench_first_chart() -> None:
    rows = [json.loads(_fresh(CHART_CHILD)[0]) for _ in range(RUNS_FRESH)]

    def med(name: str) -> float:
        return statistics.median(r[name] for r in rows) * 1000

    print(f"first chart via course_lib.display.Chart (fresh process, median of {RUNS_FRESH}):")
    print(f"  import course_lib + plots + display {med('import'):8.1f} ms")
    print(f"  load rubric/case + place + build    {med('build'):8.1f} ms")
    print(f"  serialise MIME bundle               {med('serialise'):8.1f} ms")
    print(f"  total                               {med('total'):8.1f} ms")
    print(f"  bundle size                         {rows[0]['bytes']:8d} bytes")
    print(f"  nbformat imported?                  {any(r['nbformat'] for r in rows)}")
    print(f"  plotly renderers imported?          {any(r['plotly_renderers'] for r in rows)}")


def bench_scoring() -> None:
    from course_lib.answers import CaseAnswer
    from course_lib.content import case_path, load_case, load_rubric
    from course_lib.display import Chart
    from course_lib.plots.cases import marker_comparison_figure, spectrum_figure
    from course_lib.scoring.compare import compare_case
    from course_lib.widgets import CaseScorer

    rubric = load_rubric()
    case = load_case(case_path(CASE_ID), rubric)
    key = case.key
    assert key is not None
    ratings: dict[str, int | None] = {m: min(3, r.rating + 1) for m, r in key.ratings.items()}
    answer = CaseAnswer(ratings=ratings, band="mid", trait_or_state="trait", stance="structured")

    def score() -> object:
        return compare_case(CASE_ID, answer, key, rubric)

    def score_and_redraw() -> None:
        comparison = compare_case(CASE_ID, answer, key, rubric)
        assert comparison.student is not None
        fig = spectrum_figure(
            [("You", comparison.student), ("Expert", comparison.expert)], rubric=rubric
        )
        json.dumps(Chart(fig)._repr_mimebundle_())

    def both_charts() -> None:
        comparison = compare_case(CASE_ID, answer, key, rubric)
        assert comparison.student is not None
        for fig in (
            spectrum_figure(
                [("You", comparison.student), ("Expert", comparison.expert)], rubric=rubric
            ),
            marker_comparison_figure(comparison, rubric=rubric),
        ):
            json.dumps(Chart(fig)._repr_mimebundle_())

    score_and_redraw()  # warm-up: first-use imports are measured in the fresh-process figures
    s = _median_ms(score)
    r = _median_ms(score_and_redraw)
    b = _median_ms(both_charts)
    verdict = "OK" if r < SCORE_TARGET * 1000 else "OVER TARGET"
    print(f"scoring one case in-process (warm, median of {RUNS_WARM}):")
    print(f"  compare_case + place                {s:8.2f} ms")
    print(f"  + build & serialise spectrum chart  {r:8.2f} ms   target < 50 ms: {verdict}")
    print(f"  + both feedback charts              {b:8.2f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        times = []
        for i in range(RUNS_WARM):
            scorer = CaseScorer([case], rubric, save_path=Path(tmp) / f"a{i}.json")
            for marker_id, control in scorer.rating_controls.items():
                control.value = ratings[marker_id]
            scorer.band.value, scorer.trait_state.value = "mid", "trait"
            scorer.stance.value = "structured"
            t0 = time.perf_counter()
            scorer.check_button.click()
            times.append(time.perf_counter() - t0)
        click = statistics.median(times) * 1000
    print(f"  CaseScorer Check click (lock, save, feedback, 3 charts) {click:8.2f} ms")


def main() -> None:
    print(f"python {sys.version.split()[0]} at {sys.executable}")
    bench_import()
    bench_first_chart()
    bench_scoring()


if __name__ == "__main__":
    main()
