"""Pages kept from the last render (builder/memo.py): after every kind of edit, a render that reuses the pages
whose inputs did not change gives the same pages, share images and files as a render from nothing."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder import render as render_module
from builder.build import Prepared, Preparer, prepare
from builder.cache import Store
from builder.memo import READS, TEMPLATES
from builder.ogimage import ImageCache
from tests.conftest import FIXTURE, ROOT
from tests.test_history import git

TODAY = dt.date(2025, 5, 1)
URL = "https://example.org/metals/"


def output(prepared: Prepared) -> dict[str, Any]:
    """Everything a render gives, for the site's language and each edition."""
    assert prepared.rendered is not None, prepared.report()
    renders = {"": prepared.rendered, **prepared.editions}
    return {language: (r.pages, r.images, r.assets, r.nav) for language, r in renders.items()}


def drawn(preparer: Preparer, language: str = "en-GB") -> list[str]:
    """The pages in this language that the preparer's memo keeps from now on because they were drawn again (not
    taken from it): the caller empties the list before each preparation."""
    pages: list[str] = []
    keep = preparer.memo.keep_page

    def keep_page(tag: str, src: str, *rest: Any) -> None:
        pages.extend([src] if tag == language else [])
        keep(tag, src, *rest)

    preparer.memo.keep_page = keep_page  # type: ignore[method-assign]
    return pages


def topic_pages(pages: list[str]) -> list[str]:
    """The topic pages (and parts of topics) of these pages: those under facts/ but the overview."""
    return [src for src in pages if src.startswith("facts/") and src != "facts/index.md"]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def facts(content: Path) -> Path:
    return content / "facts" / "basics.yaml"


ADDED = {
    "id": "delta-fact",
    "title": "A fact added later",
    "statement": "A later survey put output at 130 t.",
    "status": "confirmed",
    "as_of": "2025-04-01",
    "topics": ["basics"],
    "citations": [{"source": "source-a", "quote": "output was 100 t"}],
}

STATUS_LISTS = ["statuses/confirmed.md", "statuses/disputed.md", "statuses/single-source.md"]
SOURCES = ["sources.md", "sources/2.md", "sources/3.md"]
ALPHA = "questions/what-is-alpha.md"
"""It cites alpha-fact and beta-fact, and lists gamma-fact."""
QUESTIONS = [ALPHA, "questions/why-beta.md"]
TOPICS = ["facts/basics.md", "facts/trade.md"]
INDEX = ["questions/index.md", "questions/index/2.md"]
LISTS = ["timeline.md", "people.md"]
"""The lists whose items show their own citations (never split here)."""
EVERY = [*TOPICS, *QUESTIONS, *INDEX, *SOURCES, *STATUS_LISTS, *LISTS]
"""The pages kept, with every list split into pages of one item."""

LAST = [
    *TOPICS,
    *QUESTIONS,
    *INDEX,
    "review.md",
    *SOURCES,
    *STATUS_LISTS[:1],
    "statuses/confirmed/2.md",
    STATUS_LISTS[2],
    *LISTS,
]
"""The pages kept after the edits before the last two, which every page reads."""

EDITS: list[tuple[str, Callable[[Path], None], list[str]]] = [
    # (what, the edit, the pages drawn again, with every list split into pages of one item: the others are kept)
    (
        "a fact's statement",
        lambda c: replace(facts(c), "output at 100 t in 2024", "output at 120 t in 2024"),
        [
            *TOPICS,
            ALPHA,
            "questions/index.md",
            "statuses/confirmed.md",
        ],  # the index shows its short answer, which cites it
    ),
    (
        "a question citing a fact",
        lambda c: replace(c / "questions" / "questions.yaml", "Alpha output", "Output"),
        [*QUESTIONS, "questions/index.md"],  # why-beta links to what-is-alpha: both digests hold the whole question
    ),
    (
        "a cited source's title",
        lambda c: replace(c / "sources" / "sources.yaml", "title: ", "title: New "),
        [*TOPICS, *QUESTIONS, *INDEX, *SOURCES, *LISTS],
    ),
    (
        "a quoted person's name",
        lambda c: replace(c / "people" / "people.yaml", "Olive Official", "Olga Official"),
        ["facts/trade.md", ALPHA, "sources/3.md", *LISTS],  # source-b is cited by the person; an event quotes them
    ),
    (
        "a quoted person's role",
        lambda c: replace(c / "people" / "people.yaml", "(March 2025)", "(May 2025)"),
        ["facts/trade.md", ALPHA, *LISTS],
    ),
    (
        "a fact cites another fact",
        lambda c: replace(facts(c), "disagree on the share of output.", "disagree on the share [@beta-fact]."),
        ["facts/basics.md", ALPHA, "statuses/disputed.md"],
    ),
    (
        "the cited fact's quotation",
        lambda c: replace(facts(c), "They are flowing again", "They flow again"),
        [*TOPICS, ALPHA, "statuses/single-source.md", "timeline.md"],  # an event links the fact
    ),
    (
        "a source's note cites a fact",
        lambda c: replace(
            c / "sources" / "sources.yaml", "kind: government", "kind: government\n  note: See [@beta-fact]."
        ),
        [*TOPICS, *QUESTIONS, *INDEX, "sources/2.md", "timeline.md"],  # source-a, cited by all but the sources
    ),
    (
        "the quotation of the fact a source's note cites",
        lambda c: replace(facts(c), "They flow again", "They flow once more"),
        [*TOPICS, ALPHA, "sources/2.md", "statuses/single-source.md", "timeline.md"],
    ),
    (
        "a question's question",
        lambda c: replace(c / "questions" / "questions.yaml", "What is alpha?", "What is alpha metal?"),
        [
            *QUESTIONS,
            "questions/index.md",
            "sources/2.md",
            "sources/3.md",
        ],  # "cited by" it, through the facts its answer cites
    ),
    (
        "an event's title",
        lambda c: replace(c / "events" / "events.yaml", "Test mining begins", "Mining starts"),
        ["sources/2.md", "timeline.md"],
    ),
    (
        "an event links a fact it does not cite",
        lambda c: replace(c / "events" / "events.yaml", "facts: [beta-fact]", "facts: [beta-fact, gamma-fact]"),
        ["timeline.md"],
    ),
    (
        "the statement of a fact an event links",
        lambda c: replace(facts(c), "Sources disagree on the share", "Sources differ on the share"),
        ["facts/basics.md", ALPHA, "statuses/disputed.md"],  # not the timeline: its link shows the title
    ),
    (
        "a fact's title",
        lambda c: replace(facts(c), "title: Share of output", "title: Share of the output"),
        ["facts/basics.md", ALPHA, "sources/2.md", "sources/3.md", "statuses/disputed.md", "timeline.md"],
    ),
    (
        "a fact's review date",
        lambda c: replace(facts(c), "review_by: 2025-06-01", "review_by: 2025-04-01"),
        [*TOPICS, ALPHA, "review.md", "sources/2.md", "statuses/single-source.md", "timeline.md"],
    ),
    (
        "the title of a fact awaiting review",
        lambda c: replace(facts(c), "title: Officials on the flow", "title: Officials on the flows"),
        [*TOPICS, ALPHA, "review.md", "sources/2.md", "sources/3.md", "statuses/single-source.md", "timeline.md"],
    ),
    (
        "a topic's label",
        lambda c: replace(c / "site.yaml", "label: Trade", "label: Trade and flows"),
        ["facts/trade.md"],
    ),
    (
        "a topic's description",
        lambda c: replace(c / "site.yaml", "What the metals are.", "The metals."),
        ["facts/basics.md"],
    ),
    (
        "a fact added",
        lambda c: facts(c).write_text(facts(c).read_text() + yaml.safe_dump([ADDED])),
        ["facts/basics.md", "sources/2.md", "statuses/confirmed.md", "statuses/confirmed/2.md"],
    ),
    (
        "a fact removed",
        lambda c: replace(facts(c), yaml.safe_dump([ADDED]), ""),
        ["facts/basics.md", "sources/2.md", "statuses/confirmed.md"],
    ),
    (
        "a fact's status",
        lambda c: replace(facts(c), "status: disputed", "status: confirmed"),
        ["facts/basics.md", ALPHA, "statuses/confirmed.md", "statuses/confirmed/2.md", "timeline.md"],
    ),
    (
        "the site's publisher",
        lambda c: replace(c / "site.yaml", "publisher: Test desk", "publisher: Desk"),
        LAST,
    ),
    (
        "the explainer's own messages",
        lambda c: own_messages(c),
        LAST,
    ),
]
"""Each edit after those before it."""


def own_messages(content: Path) -> None:
    (content / "messages").mkdir()
    (content / "messages" / "en.po").write_text('msgid "Link to this fact"\nmsgstr "Permalink"\n', encoding="utf-8")


@pytest.fixture(params=[False, True], ids=["whole", "split"])
def split(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whole lists, or every list of sources, questions, claims awaiting review and of a status's facts split
    into pages of one item."""
    if request.param:
        monkeypatch.setattr(render_module, "MAX_OVERVIEW_FACTS", 0)
        monkeypatch.setattr(render_module, "MAX_STATUS_FACTS_PER_PAGE", 1)
        monkeypatch.setattr(render_module, "MAX_SOURCES_WEIGHT", 1)
        monkeypatch.setattr(render_module, "MAX_QUESTIONS_PER_PAGE", 1)
        monkeypatch.setattr(render_module, "MAX_AWAITING_PER_PAGE", 1)
    return bool(request.param)


def test_after_each_edit_a_memoized_render_equals_a_cold_one(tmp_path: Path, split: bool) -> None:
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    images = ImageCache()  # share images are drawn once for both (the same title always gives the same bytes)
    preparer = Preparer()
    preparer.images = images
    pages = drawn(preparer)
    first = preparer.prepare(content, TODAY, history=False, url=URL)
    assert first.rendered is not None and first.rendered.images  # share images are part of what is kept
    assert sorted(pages) == sorted(
        EVERY if split else [*TOPICS, *QUESTIONS, "questions/index.md", "sources.md", *LISTS]
    )
    assert preparer.memo.reused == 0
    for what, edit, again in EDITS:
        pages.clear()
        edit(content)
        warm = preparer.prepare(content, TODAY, history=False, url=URL)
        cold = prepare(content, today=TODAY, history=False, url=URL, images=images)
        assert output(warm) == output(cold), what
        if split:
            assert sorted(pages) == sorted(again), what


def test_the_build_date_and_the_site_address_are_inputs_of_every_page(tmp_path: Path) -> None:
    """The build date decides what is past its review or end date; the address, the share images and links."""
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    images = ImageCache()
    preparer = Preparer()
    preparer.images = images
    for today, url in ((TODAY, None), (dt.date(2025, 6, 20), None), (dt.date(2025, 6, 20), URL), (TODAY, URL)):
        warm = preparer.prepare(content, today, history=False, url=url)
        cold = prepare(content, today=today, history=False, url=url, images=images)
        assert output(warm) == output(cold), (today, url)
        assert preparer.memo.reused == 0
    again = preparer.prepare(content, TODAY, history=False, url=None)  # back to the first: kept no more
    assert output(again) == output(prepare(content, today=TODAY, history=False))


def committed_fixture(tmp_path: Path) -> tuple[Path, Path]:
    """A git repository holding a copy of the fixture content in one commit: the repository and its content."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "content")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start", date="2025-02-01T12:00:00+00:00")
    return repo, repo / "content"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_commit_that_dates_a_fact_renders_its_page_again(tmp_path: Path, split: bool) -> None:
    """Facts' first-published and last-changed dates come from the content's history, and the lists' "Page
    updated" date is its last commit's."""
    repo, content = committed_fixture(tmp_path)
    preparer = Preparer()
    pages = drawn(preparer)
    preparer.prepare(content, TODAY)
    for number, (old, new) in enumerate(
        (("disagree on the share", "differ on the share"), ("of output.", "of mine output."))
    ):
        pages.clear()
        replace(facts(content), old, new)
        git(repo, "commit", "-q", "-am", f"edit {number}", date=f"2025-03-0{number + 1}T12:00:00+00:00")
        warm = preparer.prepare(content, TODAY)
        assert output(warm) == output(prepare(content, today=TODAY)), number
        # The Trade page does not list gamma-fact, nor does the other question; the lists show the commit's date.
        assert sorted(pages) == sorted(
            [
                "facts/basics.md",
                ALPHA,
                *(INDEX + SOURCES + STATUS_LISTS if split else ["questions/index.md", "sources.md"]),
                *LISTS,
            ]
        )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_fact_changed_and_changed_back_shows_its_new_date(tmp_path: Path) -> None:
    """gamma-fact is as it was when its page was kept, and the page's own date (alpha-fact's, the latest) is the
    same, but the history dates gamma-fact's last change."""
    repo, content = committed_fixture(tmp_path)
    replace(facts(content), "output at 100 t", "output at 110 t")
    git(repo, "commit", "-q", "-am", "alpha", date="2025-04-01T12:00:00+00:00")
    preparer = Preparer()
    preparer.prepare(content, TODAY)
    replace(facts(content), "disagree on the share", "differ on the share")
    git(repo, "commit", "-q", "-am", "edit", date="2025-03-01T12:00:00+00:00")
    replace(facts(content), "differ on the share", "disagree on the share")
    git(repo, "commit", "-q", "-am", "back", date="2025-03-02T12:00:00+00:00")
    warm = preparer.prepare(content, TODAY)
    assert output(warm) == output(prepare(content, today=TODAY))
    assert warm.rendered is not None and "Last changed 2 March 2025" in warm.rendered.pages["facts/basics.md"]


def test_a_fact_moved_to_another_part_of_its_topic_is_linked_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Trade page lists alpha-fact under "Also on this topic"; with a fact a page, a fact added before it in
    its own topic moves it from the second page of The basics to the third, and the link must follow, though
    neither page's facts changed."""
    monkeypatch.setattr(render_module, "MAX_FACTS_PER_PAGE", 1)
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    facts(content).write_text(yaml.safe_dump([ADDED]) + facts(content).read_text(), encoding="utf-8")
    preparer = Preparer()
    first = preparer.prepare(content, TODAY, history=False)
    assert first.rendered is not None and "](basics/2.md#alpha-fact)" in first.rendered.pages["facts/trade.md"]
    second = {**ADDED, "id": "epsilon-fact"}
    facts(content).write_text(yaml.safe_dump([second]) + facts(content).read_text(), encoding="utf-8")
    warm = preparer.prepare(content, TODAY, history=False)
    assert output(warm) == output(prepare(content, today=TODAY, history=False))
    assert warm.rendered is not None and "](basics/3.md#alpha-fact)" in warm.rendered.pages["facts/trade.md"]


def test_an_edition_keeps_its_own_pages_and_follows_its_translations(tmp_path: Path) -> None:
    """The real explainer, with its Chinese edition: a translated title changes only that edition's page."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    preparer = Preparer()
    pages, edition = drawn(preparer), drawn(preparer, "zh-Hans")
    first = preparer.prepare(content, TODAY, history=False)
    assert "zh-Hans" in first.editions and len(topic_pages(pages)) >= 2 and topic_pages(edition) == topic_pages(pages)
    pages.clear()
    edition.clear()
    replace(facts(content), "title: 稀土是17种元素", "title: 稀土共有17种元素")
    warm = preparer.prepare(content, TODAY, history=False)
    cold = prepare(content, today=TODAY, history=False)
    assert output(warm) == output(cold)
    # Of the topic pages, only the Basics page was rendered again, in the edition and in the site's language,
    # whose fact holds its translations (not shown there, but part of what the digest holds).
    assert topic_pages(pages) == topic_pages(edition) == ["facts/basics.md"]
    assert "稀土共有17种元素" in warm.editions["zh-Hans"].pages["facts/basics.md"]


def test_a_new_process_reuses_the_pages_stored_in_the_cache(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURE, tmp_path / "content")
    store = Store(tmp_path / "cache")
    first = Preparer(store).prepare(content, TODAY, history=False)
    replace(facts(content), "disagree on the share", "differ on the share")
    preparer = Preparer(store)  # a fresh `build`
    pages = drawn(preparer)
    warm = preparer.prepare(content, TODAY, history=False)
    assert output(warm) == output(prepare(content, today=TODAY, history=False))
    assert sorted(pages) == ["facts/basics.md", ALPHA]  # the pages that show gamma-fact
    assert preparer.memo.reused == 6  # the Trade page, the other question, the questions, the sources, the
    # timeline and the people: cached
    assert warm.rendered is not None and first.rendered is not None
    assert warm.rendered.pages["facts/basics.md"] != first.rendered.pages["facts/basics.md"]


MACROS = ("_macros.md.j2", "_cite.md.j2")


def template_text(name: str) -> str:
    return (render_module.TEMPLATES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["index", "fresh"])
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_kept_pages_read_only_what_their_digest_holds(template: str, name: str) -> None:
    """A template or References reading more of `index` or `fresh` than builder/memo.py digests would make a
    kept page wrong: this fails first, so that PageInputs is extended with it."""
    read: set[str] = set()
    for each in (template, *MACROS):
        read |= set(re.findall(rf"\b{name}\.(\w+)", template_text(each)))
    read |= set(re.findall(rf"self\.{name}\.(\w+)", inspect.getsource(render_module.References)))
    allowed = READS[name] | (TEMPLATES[template] if name == "index" else set())
    assert read, name
    assert read <= allowed, read - allowed


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_kept_templates_read_no_content_or_topic_list(template: str) -> None:
    """The digest holds the site settings without the topic list, and no other part of the content."""
    for each in (template, *MACROS):
        assert not re.search(r"\bcontent\.|\bsite\.topics", template_text(each)), each


@pytest.mark.parametrize("template", ["status.md.j2", "review.md.j2"])
def test_a_list_kept_by_its_items_alone_cites_nothing(template: str) -> None:
    """PageInputs.list_page digests the items' own fields, and what the texts render() gives it cite: none for
    these lists."""
    assert "refs" not in template_text(template)


def test_the_preview_makes_the_json_of_the_items_of_edited_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page memo's and the downloads' digests read a digest of each item's JSON (builder/cache.py Dumps): made
    once per item for both, and at a rebuild only for the items of the files that changed (the others are the same
    objects)."""
    from builder.model import Fact, Source

    content = shutil.copytree(FIXTURE, tmp_path / "content")
    made: list[str] = []
    for kind in (Fact, Source):
        real = kind.model_dump_json

        def counted(self: Any, real: Any = real, **kw: Any) -> str:
            made.extend([] if kw else [self.id])  # whole items (a link's digest reads some fields)
            return str(real(self, **kw))

        monkeypatch.setattr(kind, "model_dump_json", counted)
    preparer = Preparer()
    first = preparer.prepare(content, TODAY, history=False, url=URL)
    assert first.checked.content is not None
    every = [item.id for item in [*first.checked.content.facts, *first.checked.content.sources]]
    assert sorted(made) == sorted(every)  # once each, for the memo and the downloads both
    made.clear()
    replace(facts(content), "output at 100 t in 2024", "output at 120 t in 2024")
    warm = preparer.prepare(content, TODAY, history=False, url=URL)
    assert sorted(made) == ["alpha-fact", "beta-fact", "gamma-fact"]  # the facts of the edited file
    assert output(warm) == output(prepare(content, today=TODAY, history=False, url=URL))
