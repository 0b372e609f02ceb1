"""Charts (builder/charts.py): readable on a phone, every bar labelled, totals stated instead of drawn, the
legend clear of the bars, and the same bytes from the same dataset."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt

from builder.charts import bar_chart, drawn_rows, figure, settings, size
from builder.model import Dataset


def dataset(**changes: object) -> Dataset:
    data = {
        "id": "output",
        "title": "Output by country",
        "description": "Output.",
        "source": "s",
        "as_of": "2025-01-01",
        "row_label": "Country",
        "columns": [{"id": "y2023", "label": "2023", "unit": "t"}, {"id": "y2024", "label": "2024", "unit": "t"}],
        "rows": [
            {"label": "Testland", "values": {"y2023": 255000, "y2024": 270000}},
            {"label": "Otherland", "values": {"y2023": 41600, "y2024": None}},
            {"label": "Smallland", "values": {"y2023": 140, "y2024": 20}},
            {"label": "World", "values": {"y2023": 376000, "y2024": 390000}, "total": True},
        ],
    }
    return Dataset.model_validate({**data, **changes})


def texts(svg: str) -> list[str]:
    """The texts drawn (as paths) in a chart: matplotlib writes each one as a comment beside its glyphs."""
    return re.findall(r"<!-- (.*?) -->", svg)


def test_every_bar_carries_its_value_and_a_total_is_not_drawn() -> None:
    drawn = texts(bar_chart(dataset()))
    assert [t for t in drawn if t.endswith("land")] == ["Testland", "Otherland", "Smallland"]
    assert "World" not in drawn and "376,000" not in drawn
    for value in ("255,000", "270,000", "41,600", "140", "20", "–"):
        assert value in drawn, value
    assert [row.label for row in drawn_rows(dataset())] == ["Testland", "Otherland", "Smallland"]


def test_the_legend_sits_above_the_bars() -> None:
    data = dataset()
    with plt.rc_context(settings(data)):
        chart = figure(data)
        renderer = chart.canvas.get_renderer() if hasattr(chart.canvas, "get_renderer") else chart._get_renderer()
        axes = chart.axes[0]
        legend = axes.get_legend().get_window_extent(renderer)
        bars = [patch.get_window_extent(renderer) for patch in axes.patches]
        top = axes.get_window_extent(renderer).y1
        plt.close(chart)
    assert len(bars) == 6 and all(not legend.overlaps(bar) for bar in bars)
    assert legend.y0 >= top - 1, (legend, top)


def test_the_chart_is_sized_for_a_phone_and_draws_the_same_bytes_twice() -> None:
    width, height = size(dataset())
    assert width == 538 and height > 200
    svg = bar_chart(dataset())
    assert svg == bar_chart(dataset())
    points = re.search(r'<svg [^>]*width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    assert points and (round(float(points[1]) * 4 / 3), round(float(points[2]) * 4 / 3)) == (width, height)
    assert 'style="fill: #ffffff"' in svg  # an opaque white card in the dark scheme too
