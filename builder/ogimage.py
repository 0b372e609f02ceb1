"""Share images (og:image): one static PNG per page with its title and the site's name, drawn with matplotlib.

The same title and name always give the same bytes (no timestamp or software version in the file), so
two builds stay byte-identical. Drawn images are kept in an ImageCache across live-reload rebuilds.
"""

from __future__ import annotations

import io
import textwrap

WIDTH, HEIGHT, DPI = 1200, 630, 100
"""The size social sites show share images at (1.91:1), in pixels."""
BACKGROUND, BAND, TEXT, MUTED = "#ffffff", "#3f51b5", "#1a1a1a", "#3d3d3d"


class ImageCache:
    """Share images already drawn, by (title, site name)."""

    def __init__(self) -> None:
        self._drawn: dict[tuple[str, str], bytes] = {}

    def image(self, title: str, site_name: str) -> bytes:
        key = (title, site_name)
        if key not in self._drawn:
            self._drawn[key] = share_image(title, site_name)
        return self._drawn[key]


def share_image(title: str, site_name: str) -> bytes:
    """A 1200x630 PNG: a coloured band, the page's title in large type, the site's name below it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    figure.patches.append(Rectangle((0, 0.94), 1, 0.06, transform=figure.transFigure, figure=figure, color=BAND))
    lines = textwrap.wrap(" ".join(title.split()), width=30, max_lines=4, placeholder=" …") or [site_name]
    size = 54 if len(lines) <= 2 else 44
    figure.text(
        0.07, 0.60, "\n".join(lines), fontsize=size, fontweight="bold", color=TEXT, va="center", linespacing=1.15
    )
    name = textwrap.shorten(site_name, width=70, placeholder=" …")
    figure.text(0.07, 0.12, name, fontsize=26, color=MUTED, va="center")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor=BACKGROUND, metadata={"Software": None})
    return out.getvalue()
