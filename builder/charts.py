"""Static, deterministic SVG bar charts of datasets, drawn with matplotlib (no JavaScript needed).

Drawn to be read on a phone as well as a desktop: a narrow figure with large type, every bar labelled
with its value, the legend above the bars (never over them), and rows marked `total` left out of the
bars (the page states them under the chart) so that the other rows keep their scale. The background is
opaque white, so a chart reads the same on the site's dark scheme.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("svg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .model import Dataset, Row

COLOURS = ("#3949ab", "#b45309", "#00796b", "#7b1fa2")
"""Bar colours, each at least 4.5:1 against the white background."""
TEXT = "#1f1f1f"
WIDTH = 5.6
"""The figure's width in inches (538 CSS pixels): shown at its natural size on a desktop, and scaled
down little on a phone, so its type stays legible there."""
FONT_SIZE = 12.5
POINTS_PER_INCH = 72
PIXELS_PER_POINT = 4 / 3


class ChartCache:
    """The last chart drawn for each dataset id, with the dataset it was drawn from (as JSON).

    Owned by whoever builds repeatedly (the MkDocs plugin keeps one across live-reload rebuilds).
    """

    def __init__(self) -> None:
        self._drawn: dict[str, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self._drawn)

    def chart(self, dataset: Dataset, language: str = "en") -> str:
        key = language + "\n" + dataset.model_dump_json()
        cached = self._drawn.get(f"{language}/{dataset.id}")
        if cached is None or cached[0] != key:
            cached = self._drawn[f"{language}/{dataset.id}"] = (key, _draw(dataset, language))
        return cached[1]


def bar_chart(dataset: Dataset, cache: ChartCache | None = None, language: str = "en") -> str:
    """A horizontal grouped bar chart, one group per row and one bar per column, as SVG text; the axis's
    numbers written as `language` (a Babel locale name: en_GB, zh_Hans) writes them (CLDR)."""
    return cache.chart(dataset, language) if cache is not None else _draw(dataset, language)


def drawn_rows(dataset: Dataset) -> list[Row]:
    """The rows drawn as bars: those with a value, except totals."""
    return [row for row in dataset.rows if not row.total and any(v is not None for v in row.values.values())]


def _height(dataset: Dataset) -> float:
    """The figure's height in inches: room for each group of bars, the legend and the axis."""
    columns = len(dataset.columns)
    legend = 0.4 if columns > 1 else 0.0
    return round(max(2.0, 0.32 * len(drawn_rows(dataset)) * (columns + 0.6) + 0.9 + legend), 2)


def size(dataset: Dataset) -> tuple[int, int]:
    """The chart's natural size in CSS pixels (width, height), for the page's <img> (no layout shift)."""
    scale = POINTS_PER_INCH * PIXELS_PER_POINT
    return round(WIDTH * scale), round(_height(dataset) * scale)


def number(value: float, language: str = "en") -> str:
    """A value as `language` writes numbers (CLDR: 1,234.5 in en, 1 234,5 in fr)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=language))


def settings(dataset: Dataset) -> Any:
    """matplotlib's settings for drawing a dataset's chart (with plt.rc_context)."""
    # parse_math off: a "$" in a label or title is a dollar sign, never mathtext.
    return {
        "svg.hashsalt": dataset.id,
        "svg.fonttype": "path",
        "font.size": FONT_SIZE,
        "text.parse_math": False,
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "axes.edgecolor": TEXT,
    }


def figure(dataset: Dataset, language: str = "en") -> Figure:
    """The chart as a matplotlib figure (drawn inside plt.rc_context(settings(dataset)); close it after use)."""
    rows = drawn_rows(dataset)
    columns = dataset.columns
    chart, axes = plt.subplots(figsize=(WIDTH, _height(dataset)), dpi=100)
    chart.patch.set_facecolor("#ffffff")
    bar = 0.8 / len(columns)
    largest = max((v for row in rows for v in row.values.values() if v is not None), default=0.0)
    for index, column in enumerate(columns):
        values = [row.values.get(column.id) for row in rows]
        positions = [r + (index - (len(columns) - 1) / 2) * bar for r in range(len(rows))]
        label = column.label + (f" ({column.unit})" if column.unit else "")
        bars = axes.barh(
            positions, [v or 0.0 for v in values], height=bar, color=COLOURS[index % len(COLOURS)], label=label
        )
        axes.bar_label(
            bars, labels=["–" if v is None else number(v, language) for v in values], padding=3, fontsize=FONT_SIZE - 1
        )
    axes.set_yticks(range(len(rows)), [row.label for row in rows])
    axes.invert_yaxis()
    # Room to the right of the longest bar for its value label.
    axes.set_xlim(0, (largest or 1) * 1.3)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x, language)))
    axes.xaxis.set_major_locator(MaxNLocator(3))
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", color="#d0d0d0", linewidth=0.6)
    axes.set_axisbelow(True)
    if len(columns) == 1:
        axes.set_xlabel(columns[0].label + (f" ({columns[0].unit})" if columns[0].unit else ""))
    else:
        # Above the bars, outside the axes: never over the data.
        axes.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(columns), borderaxespad=0.2)
    chart.tight_layout()
    return chart


def _draw(dataset: Dataset, language: str = "en") -> str:
    with plt.rc_context(settings(dataset)):
        chart = figure(dataset, language)
        buffer = io.StringIO()
        chart.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="#ffffff")
        plt.close(chart)
    return buffer.getvalue()
