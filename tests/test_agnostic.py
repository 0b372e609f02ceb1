"""The generator knows nothing about its first explainer: no word of the rare-earths story in builder/ or schemas/.

The vocabulary below is the first explainer's (its subject, places, people, units and sources); the generator's
templates, Python, style sheet, theme copies, default configuration and the schemas generated from the model
must speak of content in general.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.model import ElementSettings
from builder.render import render
from builder.scaffold import skeleton
from builder.validate import check
from tests.conftest import FIXTURE, ROOT

VOCABULARY = [
    *("rare earth", "rare-earth", "rare earths", "China", "Chinese", "PRC", "MOFCOM", "Ministry of Commerce"),
    *("magnet", "dysprosium", "terbium", "neodymium", "lanthanum", "samarium", "yttrium", "scandium"),
    *("gallium", "germanium", "antimony", "critical mineral", "REO", "USGS", "Geological Survey", "Mountain Pass"),
    *("Busan", "Geneva", "Beijing", "Lutnick", "Hassett", "Trump", "Commerce Secretary", "SCMP", "NBC"),
    *("Announcement No", "US–China", "US-China"),
]
"""Words of the first explainer (matched as whole words, ignoring case, except the acronyms)."""
ACRONYMS = {"PRC", "MOFCOM", "REO", "USGS", "SCMP", "NBC"}
SCANNED = (".py", ".j2", ".html", ".css", ".js", ".yml", ".yaml", ".json", ".md", ".txt")


def _pattern(word: str) -> re.Pattern[str]:
    flags = 0 if word in ACRONYMS else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(word) + r"s?(?![\w-])", flags)


PATTERNS = [(word, _pattern(word)) for word in VOCABULARY]


def first_explainer_words(text: str) -> list[str]:
    return [word for word, pattern in PATTERNS if pattern.search(text)]


def scanned_files() -> list[Path]:
    files = [
        path
        for folder in (ROOT / "builder", ROOT / "schemas")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in SCANNED and "__pycache__" not in path.parts
    ]
    return files


def test_the_scan_finds_the_vocabulary() -> None:
    """The scan would see the words it looks for (so that the test below can fail)."""
    assert first_explainer_words("China's rare-earth magnets") == ["rare-earth", "China", "magnet"]
    assert first_explainer_words("the 270,000 t REO figure; Dysprosium") == ["dysprosium", "REO"]
    assert first_explainer_words("a theorem, a prepared chinaware tool") == []
    assert len(scanned_files()) > 50
    assert {p.suffix for p in scanned_files()} >= {".py", ".j2", ".html", ".css", ".json"}


def test_nothing_in_the_generator_is_about_the_first_explainer() -> None:
    found = {
        path.relative_to(ROOT).as_posix(): words
        for path in scanned_files()
        if (words := first_explainer_words(path.read_text("utf-8", errors="replace")))
    }
    assert found == {}


def test_the_elements_grid_takes_its_words_from_the_content() -> None:
    """The legend, category names and control lines come from site.yaml's `elements`; defaults are generic."""
    checked = check(FIXTURE)
    assert checked.content is not None
    default = render(checked.content).pages["elements.md"]
    assert 'element-controlled">Red border: under a control in the content &#40;in force or suspended&#41;' in default
    assert "- Control: [Metals flow again]" in default
    assert "**heavy**" in default

    settings = ElementSettings(
        title="Test elements",
        categories={"light": "light metal", "heavy": "heavy metal", "neither": "other"},
        control="Sanction",
        no_control="No sanction.",
        controlled="Red border: under a sanction",
    )
    site = checked.content.site.model_copy(update={"elements": settings})
    page = render(checked.content.model_copy(update={"site": site})).pages["elements.md"]
    assert '<span class="element-key element-light">Light metal</span>' in page
    assert '<span class="element-key element-heavy">Heavy metal</span>' in page
    assert 'element-controlled">Red border: under a sanction</span>' in page
    assert "**heavy metal**" in page
    assert "- Sanction: [Metals flow again]" in page
    assert "Control:" not in page


def test_elements_legend_lists_only_what_the_grid_shows() -> None:
    """No legend key for a category no element has, nor for controls when no element is controlled."""
    checked = check(FIXTURE)
    assert checked.content is not None
    elements = [e.model_copy(update={"controls": []}) for e in checked.content.elements if e.category.value == "heavy"]
    page = render(checked.content.model_copy(update={"elements": elements})).pages["elements.md"]
    legend = next(line for line in page.splitlines() if 'class="element-legend"' in line)
    assert re.findall(r'class="element-key ([\w-]+)"', legend) == ["element-heavy"]
    assert "- No control in the content." in page


@pytest.mark.parametrize("kind", ["fact", "source", "question", "event"])
def test_new_skeletons_are_generic(kind: str) -> None:
    assert first_explainer_words(skeleton(kind, "x")) == []
