"""Put a finished build in place of the old one, or leave the old one untouched."""

from __future__ import annotations

import shutil
from pathlib import Path


def staging_dir(site_dir: Path) -> Path:
    """A fresh folder beside site_dir to build into."""
    staging = site_dir.parent / f".{site_dir.name}.building"
    if staging.exists():
        shutil.rmtree(staging)
    return staging


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def replace_site(staging: Path, site_dir: Path) -> None:
    """Swap the finished build in: the old site stays whole until the new one is complete."""
    old = site_dir.parent / f".{site_dir.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    if old.exists():
        shutil.rmtree(old)
