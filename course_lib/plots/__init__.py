"""Plot builders: each returns a plotly figure (never shows it) with a title, axis titles,
a colour-blind-safe palette and a one-line description in ``layout.meta["description"]``.
Display one with ``course_lib.display.Chart(fig)``.
"""
