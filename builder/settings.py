"""Names the command line needs before it loads any build machinery (so `check` starts fast)."""

from __future__ import annotations

from pathlib import Path

ENGINES = ("mkdocs", "zensical")
"""What can build the site: MkDocs with the explainer plugin, or Zensical from a generated project."""
DEFAULT_CONFIG = Path(__file__).parent / "default.yml"
"""The MkDocs configuration used where the current folder has none (an installed `explainer`)."""
SCAFFOLD_KINDS = ("fact", "source", "question", "event")
"""What `new` can scaffold (builder/scaffold.py maps each to its folder and model)."""
COPIES = "copies"
"""The folder, inside a content folder, of plain-text copies of its sources (`<source-id>.txt`) that `review` reads."""
DEFAULT_PORT = 8000
"""The port `serve` previews on when neither --dev-addr nor site.yaml's preview_port says otherwise."""


def default_site_dir(content: Path) -> Path:
    """Where `build` writes when --site-dir is not given: beside the content folder, named after it.

    `site` for a content folder named `content` (so `content/` builds into `site/`), `site-NAME` for any
    other folder NAME: several explainers in one repository each get a site folder of their own.
    """
    if content.name in ("", ".", ".."):
        content = content.resolve()
    return content.parent / ("site" if content.name == "content" else f"site-{content.name}")
