"""Names the command line needs before it loads any build machinery (so `check` starts fast)."""

from __future__ import annotations

from pathlib import Path

ENGINES = ("mkdocs", "zensical")
"""What can build the site: MkDocs with the explainer plugin, or Zensical from a generated project."""
DEFAULT_CONFIG = Path(__file__).parent / "default.yml"
"""The MkDocs configuration used where the current folder has none (an installed `explainer`)."""
SCAFFOLD_KINDS = ("fact", "source", "question", "event")
"""What `new` can scaffold (builder/scaffold.py maps each to its folder and model)."""
