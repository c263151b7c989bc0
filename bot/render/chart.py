"""Questions per day, answered vs not, as a PNG: the chart of ``/stats`` and ``report --png``.

matplotlib is imported here only, and only when a chart is drawn (it costs ~0.3 s and ~30 MB
that a bot answering questions never needs otherwise). The figure is drawn with the Agg canvas
directly, never through ``pyplot``: no global figure state, so it is safe in a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.store.report import Day

ANSWERED = "#3b7dd8"
NOT_ANSWERED = "#d8903b"


def questions_per_day_png(days: Sequence[Day], title: str = "Questions per day") -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(7, 3.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [day.day.strftime("%b %d") for day in days]
    answered = [day.answered for day in days]
    missed = [day.not_answered for day in days]
    positions = range(len(days))
    axes.bar(positions, answered, color=ANSWERED, label="answered")
    axes.bar(positions, missed, bottom=answered, color=NOT_ANSWERED, label="not answered")
    axes.set_xticks(list(positions), labels, rotation=45 if len(days) > 10 else 0, fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title)
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
