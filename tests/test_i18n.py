"""Any language: a French and a Chinese explainer (no elements, datasets or corrections) built end to end.

The catalogues are complete; the built pages carry the site's language in <html lang>, show dates and
numbers in it, and no text node of any page is an interface message of the English catalogue (each is
translated). The real explainer still builds in English (en-GB).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from builder.i18n import CATALOGUES, catalogue_for, chain, shipped, theme_language
from builder.i18n.extract import extracted
from builder.i18n.messages import Messages, shipped_catalogue, theme_languages
from tests.conftest import ROOT, run, run_main

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class TextNodes(HTMLParser):
    """The text nodes of a page outside scripts and styles, and the lang of <html>."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0
        self.html_lang: str | None = None
        self.langs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.html_lang = found.get("lang")
        elif found.get("lang"):
            self.langs.append((tag, found["lang"] or ""))
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.texts.append(" ".join(data.split()))


def parsed(page: Path) -> TextNodes:
    nodes = TextNodes()
    nodes.feed(page.read_text(encoding="utf-8"))
    return nodes


SAME = {
    "fr": {
        "Citations",
        "International",
        "Licence",
        "Magazine",
        "Menu",
        "Questions",
        "Source",
        "Sources",
        "citations",
        "question",
        "questions",
        "sources",
    },
    "de": {
        "Frictionless Data Package",
        "International",
        "Original: %(link)s",
        "Status",
        "Status:",
        "%(speaker)s, in %(where)s",
    },
    "es": {"Control", "Original: %(link)s"},
    "zh-Hans": set(),
}
"""Messages a translation rightly leaves as in English (the same word in that language); any other message
whose translation is its English text has not been translated."""


@pytest.mark.parametrize("language", sorted({*shipped()} - {"en"}))
def test_every_catalogue_translates_every_extracted_message(language: str) -> None:
    catalogue = shipped_catalogue(language.replace("-", "_"))
    translated = {m.id: m.string for m in catalogue if m.id}
    for message in extracted():
        if not message.id:
            continue
        string = translated.get(message.id)
        assert string and all(string if isinstance(string, tuple) else [string]), (language, message.id)
        words = re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", str(message.id)))
        if string == message.id and words:
            assert message.id in SAME[language], f"{language}: '{message.id}' is not translated"
        wanted = set(PLACEHOLDER.findall(message.id[0] if isinstance(message.id, tuple) else message.id))
        for text in string if isinstance(string, tuple) else (string,):
            assert set(PLACEHOLDER.findall(text)) == wanted, (language, message.id, text)


def test_the_english_catalogue_and_the_template_are_what_extraction_finds() -> None:
    found = {m.id for m in extracted() if m.id}
    with (CATALOGUES / "messages.pot").open("rb") as handle:
        assert {m.id for m in read_po(handle) if m.id} == found, "run python -m builder.i18n.extract"
    assert {m.id for m in shipped_catalogue("en") if m.id} == found


def test_language_codes_fall_back_along_their_chain() -> None:
    assert catalogue_for("en-GB") == "en" and catalogue_for("fr-CA") == "fr" and catalogue_for("de-CH") == "de"
    assert catalogue_for("zh-CN") == "zh_Hans" and catalogue_for("zh") == "zh_Hans"
    assert catalogue_for("zh-TW") is None and catalogue_for("pt-BR") is None
    assert catalogue_for("pt-BR", {"pt_BR"}) == "pt_BR"
    assert chain("en-GB")[0] == "en_GB"
    available = theme_languages()
    assert theme_language("zh-Hans", available) == "zh" and theme_language("zh-TW", available) == "zh-TW"
    assert theme_language("en-GB", available) == "en" and theme_language("pt-BR", available) == "pt-BR"
    assert Messages.of("de-CH").number(270000) == "270’000" and Messages.of("fr").number(270000.5) == "270\u202f000,5"
    assert (
        Messages.of("fr").date("2025-07") == "juillet 2025"
        and Messages.of("zh-Hans").date("2025-07-01") == "2025年7月1日"
    )


def test_an_unsupported_language_is_refused_with_the_supported_list(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures-fr" / "content", content)
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: fr", "language: pt-BR"), encoding="utf-8")
    status, out, _ = run_main(["check", "--content", "content"], tmp_path)
    assert status == 1
    assert (
        "content/site.yaml:3:11: error: site.yaml: language 'pt-BR' has no message catalogue "
        "(supported: de, en, es, fr, zh-Hans); add content/messages/pt-BR.po with every message translated to "
        "publish in it [unsupported-language]"
    ) in out


def english_messages() -> set[str]:
    """Every English interface message that is a whole text on its own (no placeholder), of some length."""
    return {
        m.id
        for m in shipped_catalogue("en")
        if isinstance(m.id, str) and m.id and not PLACEHOLDER.search(m.id) and len(m.id) > 3
    }


def built(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(ROOT / "tests" / name / "content", root / "content")
    result = run("build", "--content", "content", "--site-dir", "site", "--today", "2025-07-02", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("fr"), "fixtures-fr")


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("zh"), "fixtures-zh")


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


@pytest.mark.parametrize(("which", "catalogue"), [("french", "fr"), ("chinese", "zh_Hans")])
def test_no_english_interface_message_on_any_page(which: str, catalogue: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(which)
    same = {m.id for m in shipped_catalogue(catalogue) if m.id == m.string}  # 'Sources', 'Licence' in French
    english = english_messages() - same
    assert len(english) > 100
    for page in pages(site):
        texts = set(parsed(page).texts)
        assert not texts & english, (page, texts & english)


def test_french_site_language_dates_and_numbers(french: Path) -> None:
    home = parsed(french / "index.html")
    assert home.html_lang == "fr"
    assert "À la date du 1 juillet 2025" in " ".join(home.texts)
    assert "L’essentiel" in " ".join(home.texts)
    timeline = " ".join(parsed(french / "timeline" / "index.html").texts)
    assert "14 avril 2023 : Promulgation de la loi" in timeline
    method = " ".join(parsed(french / "method" / "index.html").texts)
    assert "Confirmé" in method and "Comment nous vérifions" in method
    not_found = " ".join(parsed(french / "404.html").texts)
    assert "404 - Page introuvable" in not_found
    sources = " ".join(parsed(french / "sources" / "index.html").texts)
    assert "France" in sources and "langue : français" in sources


def test_chinese_site_language_quotes_and_lang_attributes(chinese: Path) -> None:
    home = parsed(chinese / "index.html")
    assert home.html_lang == "zh-Hans"
    text = "".join(home.texts)
    assert "截至2025年7月1日" in text and "发生了什么" not in text  # no what_happened: no heading
    topic = parsed(chinese / "facts" / "zhidu" / "index.html")
    assert ("q", "en") in topic.langs  # the English source's quotation is marked as English
    assert "译文：上海居民为新的垃圾分类规定而苦恼" in " ".join(topic.texts)
    sources = " ".join(parsed(chinese / "sources" / "index.html").texts)
    assert "中国" in sources and "英国" in sources


def test_the_real_explainer_builds_in_english(real_site: Path) -> None:
    home = parsed(real_site / "index.html")
    assert home.html_lang == "en-GB"
    text = " ".join(home.texts)
    assert "What's happened" in text and "Go deeper" in text
    assert re.search(r"As of \d{1,2} [A-Z][a-z]+ 20\d\d", text)


def test_an_explainer_overrides_messages_and_check_locates_bad_ones(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures-fr" / "content", content)
    messages = content / "messages"
    messages.mkdir()
    (messages / "fr.po").write_text(
        'msgid "Story"\nmsgstr "En bref"\n\nmsgid "Go depper"\nmsgstr "Plus"\n\n'
        'msgid "As of %(date)s"\nmsgstr "Au %(jour)s"\n',
        encoding="utf-8",
    )
    (messages / "pt-BR.po").write_text('msgid "Story"\nmsgstr "História"\n', encoding="utf-8")
    status, out, _ = run_main(["check", "--content", "content"], tmp_path)
    assert status == 1
    lines = out.splitlines()
    assert (
        "content/messages/fr.po:4:1: error: 'Go depper' is not a message of the interface; "
        "did you mean 'Go deeper'? [unknown-message]"
    ) in lines
    assert (
        "content/messages/fr.po:7:1: error: translation of 'As of %(date)s' must keep its placeholders "
        "(%(date)s) [bad-message]"
    ) in lines
    assert any(
        line.startswith("content/messages/pt-BR.po:1:1: error: ") and line.endswith("[missing-message]")
        for line in lines
    )

    (messages / "fr.po").write_text('msgid "Story"\nmsgstr "En bref"\n', encoding="utf-8")
    (messages / "pt-BR.po").unlink()
    result = run("build", "--content", "content", "--site-dir", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    home = parsed(tmp_path / "site" / "index.html").texts
    assert "En bref" in home and "L’essentiel" not in home


EDITION_SITE = """\
editions: [en-GB]
translations:
  en-GB:
    title: "The pension reform: what we know"
    description: A sourced explainer on the 2023 French pension reform, fact by fact.
"""
EDITION_QUESTION = """\
  translations:
    en-GB:
      question: Why 64?
      short_answer: The government chose 64 to balance the system [@age-legal-64].
      answer: The law sets the age at 64 [@loi-2023-270], on a timetable by year of birth.
"""


@pytest.fixture(scope="module")
def with_edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French explainer with an English edition in which only the question is translated."""
    root = tmp_path_factory.mktemp("edition")
    content = root / "content"
    shutil.copytree(ROOT / "tests" / "fixtures-fr" / "content", content)
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("language: fr\n", "language: fr\n" + EDITION_SITE), "utf-8")
    questions = content / "questions" / "questions.yaml"
    questions.write_text(questions.read_text("utf-8") + EDITION_QUESTION, "utf-8")
    status, out, _ = run_main(["check", "--content", "content"], root)
    assert status == 0, out
    result = run("build", "--content", "content", "--site-dir", "site", "--today", "2025-07-02", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_an_edition_is_built_under_its_language_with_its_interface(with_edition: Path) -> None:
    question = parsed(with_edition / "en-GB" / "questions" / "pourquoi-64" / "index.html")
    assert question.html_lang == "en-GB"
    text = " ".join(question.texts)
    assert "Why 64?" in text and "Pourquoi 64 ans ?" not in text
    assert "Answer as of 1 July 2025" in text  # the interface and the date in the edition's language
    assert "Not yet translated" not in text
    original = " ".join(parsed(with_edition / "questions" / "pourquoi-64" / "index.html").texts)
    assert "Pourquoi 64 ans ?" in original and "Réponse à la date du 1 juillet 2025" in original


def test_an_untranslated_item_falls_back_with_a_notice_and_its_lang(with_edition: Path) -> None:
    page = with_edition / "en-GB" / "facts" / "calendrier" / "index.html"
    nodes = parsed(page)
    text = " ".join(nodes.texts)
    assert "Not yet translated: shown in the original language." in text
    assert "L’âge légal passe de 62 à 64 ans" in text
    assert ("h2", "fr") in nodes.langs and ("h1", "fr") in nodes.langs  # the fact and the topic, in French


def test_the_language_switch_leads_to_the_same_page(with_edition: Path) -> None:
    html = (with_edition / "facts" / "calendrier" / "index.html").read_text("utf-8")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', html))
    assert {lang: href for href, lang in links.items()} == {
        "fr": "../../facts/calendrier/",
        "en-GB": "../../en-GB/facts/calendrier/",
    }
    edition = (with_edition / "en-GB" / "facts" / "calendrier" / "index.html").read_text("utf-8")
    links = {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', edition)}
    assert links == {"fr": "../../../facts/calendrier/", "en-GB": "../../facts/calendrier/"}
    for href in links.values():  # each resolves to a built page
        assert (page_dir := (with_edition / "en-GB" / "facts" / "calendrier" / href).resolve()).is_dir(), page_dir


HEAD_ALTERNATE = r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">'


def test_the_head_links_each_language_by_its_absolute_address_only_where_it_is_known(with_edition: Path) -> None:
    """hreflang links must be absolute (a relative one is invalid): the same page in each language, from the
    site's address (url in site.yaml); none without it."""
    url = "https://example.org/retraites/"
    for page in ("facts/calendrier", "en-GB/facts/calendrier"):
        html = (with_edition / page / "index.html").read_text("utf-8")
        assert {lang: href for href, lang in re.findall(HEAD_ALTERNATE, html)} == {
            "fr": url + "facts/calendrier/",
            "en-GB": url + "en-GB/facts/calendrier/",
        }, page
    root = with_edition.parent
    site = root / "content" / "site.yaml"
    shutil.copytree(root / "content", root / "content-no-url")
    unaddressed = root / "content-no-url" / "site.yaml"
    unaddressed.write_text(site.read_text("utf-8").replace(f"url: {url}\n", ""), "utf-8")
    result = run("build", "--content", "content-no-url", "--site-dir", "site-no-url", "--today", "2025-07-02", cwd=root)
    assert result.returncode == 0, result.stderr
    html = (root / "site-no-url" / "facts" / "calendrier" / "index.html").read_text("utf-8")
    assert 'hreflang="en-GB"' in html  # the language switch is still there
    assert re.findall(HEAD_ALTERNATE, html) == []


def test_numbers_in_tables_follow_the_language(tmp_path: Path) -> None:
    from builder.render import render
    from builder.validate import check

    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "content", content)
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("language: en-GB", "language: de-CH"), "utf-8")
    checked = check(content)
    assert checked.content is not None
    data = render(checked.content).pages["data.md"]
    assert '<td class="num">270’000</td>' in data and '<td class="num">45’000</td>' in data and "270,000" not in data


# Words a template may write outside the catalogue: names of file formats and of the theme.
NOT_TRANSLATED = {"CSV", "JSON", "BibTeX"}
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def words_outside_messages(template: str) -> list[str]:
    """The words a template writes itself, not through a message: its text once Jinja's tags, comments and
    expressions, HTML tags, attribute lists ({: ...}) and inline scripts are taken out."""
    text = _JINJA.sub(" ", template)
    text = re.sub(r"<script\b.*?</script>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>|\{:[^}]*\}", " ", text)
    return [word for word in re.findall(r"[^\W\d_]{2,}", text) if word not in NOT_TRANSLATED]


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "builder" / "templates").glob("*.j2")))
def test_templates_write_no_text_outside_the_catalogue(name: str) -> None:
    assert words_outside_messages((ROOT / "builder" / "templates" / name).read_text(encoding="utf-8")) == []


def test_the_template_check_finds_a_word_written_outside_a_message() -> None:
    template = '<p class="x">{{ _("As of %(date)s", date=d) }} Key numbers{# a comment #}</p> {: #id }'
    assert words_outside_messages(template) == ["Key", "numbers"]


FIGURE_TRANSLATED = """\
      translations:
        en-GB:
          label: Retirees drawing their own pension
          value: 17.1 million
"""
FACT_TRANSLATED = """\
  translations:
    en-GB:
      title: The legal age rises from 62 to 64
      statement: The law gradually raises the legal retirement age to 64 for people born from 1968.
"""


def _french_with_fact_translated(root: Path, figure: bool) -> Path:
    """The French fixture with an English edition in which its one fact, 'age-legal-64', is translated, and
    its figure's label and value only when `figure`."""
    content = root / "content"
    shutil.copytree(ROOT / "tests" / "fixtures-fr" / "content", content)
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("language: fr\n", "language: fr\n" + EDITION_SITE), "utf-8")
    facts = content / "facts" / "calendrier.yaml"
    text = facts.read_text("utf-8")
    year = "      year: 2022\n"
    assert text.count(year) == 1
    facts.write_text(text.replace(year, year + (FIGURE_TRANSLATED if figure else "")) + FACT_TRANSLATED, "utf-8")
    return content


def test_a_begun_translation_that_lacks_a_figures_words_is_a_located_warning(tmp_path: Path) -> None:
    _french_with_fact_translated(tmp_path, figure=False)
    status, out, _ = run_main(["check", "--content", "content"], tmp_path)
    lines = out.splitlines()
    assert status == 0, out
    assert lines == [
        "content/facts/calendrier.yaml:13:14: warning: fact 'age-legal-64': 'label' of figure 1 has no en-GB translation, "
        "so the en-GB edition shows this fact as written [incomplete-translation]",
        "content/facts/calendrier.yaml:14:14: warning: fact 'age-legal-64': 'value' of figure 1 has no en-GB translation, "
        "so the en-GB edition shows this fact as written [incomplete-translation]",
        "0 errors, 2 warnings in 5 files.",
    ]


def test_an_edition_shows_a_figures_translated_label_and_value(tmp_path: Path) -> None:
    from builder.editions import edition, untranslated_fields
    from builder.validate import check

    content = _french_with_fact_translated(tmp_path, figure=True)
    checked = check(content)
    assert not checked.problems, checked.problems
    assert checked.content is not None
    fact = next(f for f in checked.content.facts if f.id == "age-legal-64")
    assert untranslated_fields(fact, "en-GB") == []
    assert untranslated_fields(fact, "de") == [
        ("title",),
        ("statement",),
        ("figures", 0, "label"),
        ("figures", 0, "value"),
    ]
    shown = edition(checked.content, "en-GB")
    assert "age-legal-64" not in shown.untranslated
    figure = next(f for f in shown.content.facts if f.id == "age-legal-64").figures[0]
    assert (figure.label, figure.value, figure.year, figure.source) == (
        "Retirees drawing their own pension",
        "17.1 million",
        2022,
        "drees-2024",
    )
    assert fact.figures[0].label == "Retraités de droit direct"  # the original is left as it was

    result = run("build", "--content", "content", "--site-dir", "site", "--today", "2025-07-02", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    texts = " ".join(parsed(tmp_path / "site" / "en-GB" / "facts" / "calendrier" / "index.html").texts)
    assert "Retirees drawing their own pension" in texts and "Retraités de droit direct" not in texts


def _french_with_pages(root: Path, pages: dict[str, str]) -> Path:
    """The French fixture with an English edition and these hand-written pages (name -> Markdown)."""
    content = root / "content"
    shutil.copytree(ROOT / "tests" / "fixtures-fr" / "content", content)
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("language: fr\n", "language: fr\n" + EDITION_SITE), "utf-8")
    (content / "pages").mkdir()
    for name, text in pages.items():
        (content / "pages" / name).write_text(text, encoding="utf-8")
    return content


def test_an_edition_shows_a_pages_translation_in_its_place_and_marks_an_untranslated_one(tmp_path: Path) -> None:
    _french_with_pages(
        tmp_path,
        {
            "apropos.md": "# À propos\n\nCe site est tenu par une rédaction.\n",
            "apropos.en-GB.md": "# About\n\nA newsroom keeps this site.\n",
            "methode-maison.md": "# Notre méthode\n\nChaque chiffre est vérifié deux fois.\n",
        },
    )
    status, out, _ = run_main(["check", "--content", "content"], tmp_path)
    assert status == 0, out
    result = run("build", "--content", "content", "--site-dir", "site", "--today", "2025-07-02", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"

    original = " ".join(parsed(site / "apropos" / "index.html").texts)
    assert "Ce site est tenu par une rédaction." in original and "A newsroom" not in original
    assert not (site / "apropos.en-GB").exists() and not (site / "en-GB" / "apropos.en-GB").exists()

    translated = parsed(site / "en-GB" / "apropos" / "index.html")
    text = " ".join(translated.texts)
    assert "A newsroom keeps this site." in text and "rédaction" not in text
    assert "Not yet translated" not in text and ("div", "fr") not in translated.langs

    untranslated = parsed(site / "en-GB" / "methode-maison" / "index.html")
    text = " ".join(untranslated.texts)
    assert "Not yet translated: shown in the original language. Notre méthode" in text
    assert untranslated.html_lang == "en-GB" and ("div", "fr") in untranslated.langs
    html = (site / "en-GB" / "methode-maison" / "index.html").read_text("utf-8")
    assert '<div lang="fr">\n<h1 id="notre-methode">Notre méthode</h1>' in html
    # Both in the edition's navigation, at the original pages' addresses.
    home = (site / "en-GB" / "index.html").read_text("utf-8")
    assert 'href="apropos/"' in home and 'href="methode-maison/"' in home


def test_a_translation_of_a_page_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    _french_with_pages(tmp_path, {"apropos.en-GB.md": "# About\n", "notes.old.md": "# Notes\n"})
    status, out, _ = run_main(["check", "--content", "content"], tmp_path)
    assert status == 1
    assert out.splitlines() == [
        "content/pages/apropos.en-GB.md:1:1: error: translates 'apropos.md', which is not in content/pages/; "
        "name it after its page [orphan-translation]",
        "1 error, 0 warnings in 5 files.",
    ]  # notes.old.md is a page of its own: 'old' is not an edition
