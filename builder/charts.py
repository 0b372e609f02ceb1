"""Static, deterministic SVG bar charts of datasets, drawn with matplotlib (no JavaScript needed)."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("svg")

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from .model import Dataset

COLOURS = ("#3949ab", "#ef6c00", "#00897b", "#8e24aa")


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


def _draw(dataset: Dataset, language: str = "en") -> str:
    from babel.numbers import format_decimal

    rows = [row for row in dataset.rows if any(v is not None for v in row.values.values())]
    columns = dataset.columns
    height = max(2.5, 0.42 * len(rows) * max(1, len(columns)) ** 0.5 + 1.2)
    # parse_math off: a "$" in a label or title is a dollar sign, never mathtext.
    settings: Any = {"svg.hashsalt": dataset.id, "svg.fonttype": "path", "font.size": 9, "text.parse_math": False}
    with plt.rc_context(settings):
        figure, axes = plt.subplots(figsize=(7.2, height), dpi=100)
        bar = 0.8 / len(columns)
        for index, column in enumerate(columns):
            values = [row.values.get(column.id) or 0.0 for row in rows]
            positions = [r + (index - (len(columns) - 1) / 2) * bar for r in range(len(rows))]
            label = column.label + (f" ({column.unit})" if column.unit else "")
            axes.barh(positions, values, height=bar, color=COLOURS[index % len(COLOURS)], label=label)
        axes.set_yticks(range(len(rows)), [row.label for row in rows])
        axes.invert_yaxis()
        axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_decimal(round(x), locale=language)))
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        if len(columns) > 1:
            axes.legend(frameon=False, loc="lower right")
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(figure)
    return buffer.getvalue()
