"""Citations as a reader meets them: grouped markers with spoken names, tooltips inside the window that a tap
opens and dismisses, back-links from references, cite-this with copy buttons and absolute addresses,
canonical and share metadata, the sitemap, and status badges linked to the claims by status.

The browser tests drive Chromium as tests/test_browser.py does (they fail, never skip, in CI)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from builder.i18n.messages import Messages
from builder.ogimage import share_image
from builder.render import letters, number_ranges
from tests.conftest import FIXTURE, run

FIXTURE_URL = "https://fixture.example/explainer/"
format_date = Messages.of("en-GB").date


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content with its site's address set (url in site.yaml), built once for this module."""
    root = tmp_path_factory.mktemp("with-url")
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(re.sub(r"^(language: .*\n)", rf"\1url: {FIXTURE_URL}\n", text, flags=re.M), encoding="utf-8")
    result = run("build", "--publish", "--content", str(content), "--site-dir", str(root / "site"))
    assert result.returncode == 0, result.stderr
    return root / "site"


def _context(browser: Browser, width: int, height: int, **options: object) -> BrowserContext:
    return browser.new_context(viewport={"width": width, "height": height}, **options)  # type: ignore[arg-type]


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    context = _context(browser, 1366, 900)
    yield context.new_page()
    context.close()


# What the builder writes ------------------------------------------------------------------------------------


def test_numbers_of_a_group_read_as_ranges() -> None:
    assert number_ranges([1, 2, 3, 4]) == "1–4"
    assert number_ranges([3, 1]) == "1, 3"
    assert number_ranges([1, 2]) == "1, 2"
    assert number_ranges([5, 1, 2, 3, 9]) == "1–3, 5, 9"
    assert letters(3) == ["a", "b", "c"]
    assert letters(28)[-2:] == ["aa", "ab"]


class _Markers(HTMLParser):
    """The markers of a page: their text, and what stands between one marker and the next."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.markers: list[dict[str, str]] = []
        self.between: list[str] = []
        self._depth = 0  # inside a .cite span
        self._in_ref = False
        self._gap = ""
        self._ids: set[str] = set()
        self.back: list[tuple[str, str]] = []  # (reference id, marker id a back-link points to)
        self._li: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li" and (a.get("id") or "").startswith("ref_"):
            self._li = a["id"]
        if self._li and tag == "a" and (a.get("href") or "").startswith("#cite_"):
            self.back.append((self._li, str(a["href"])[1:]))
        if self._depth:
            if tag == "span":
                self._depth += 1
            if tag == "a" and "cite-ref" in (a.get("class") or ""):
                self._in_ref = True
                self.markers.append({k: v or "" for k, v in a.items()} | {"text": ""})
            return
        if tag == "span" and a.get("class") == "cite":
            self.between.append(self._gap)
            self._depth = 1
        else:
            self._gap += f"<{tag}>"

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._li = None
        if self._depth:
            if tag == "a":
                self._in_ref = False
            if tag == "span":
                self._depth -= 1
                if not self._depth:
                    self._gap = ""
            return
        self._gap += f"</{tag}>"

    def handle_data(self, data: str) -> None:
        if self._in_ref:
            self.markers[-1]["text"] += data
        elif not self._depth:
            self._gap += data


def _markers(html: str) -> _Markers:
    parser = _Markers()
    parser.feed(html)
    parser.close()
    return parser


def test_citations_next_to_each_other_are_one_marker_on_every_page(real_site: Path) -> None:
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 40
    count = 0
    for path in pages:
        found = _markers(path.read_text(encoding="utf-8"))
        count += len(found.markers)
        # Between two markers there is always some text: never only white space or punctuation.
        adjacent = [gap for gap in found.between[1:] if not re.sub(r"[\s.,;:!?]", "", gap)]
        assert adjacent == [], (path, adjacent[:3])
        for marker in found.markers:
            numbers = re.findall(r"\d+", marker["text"].replace("–", ","))
            assert marker["text"].startswith("[") and marker["text"].endswith("]"), marker
            assert len(numbers) == len(set(numbers)), (path, marker["text"])  # each source once per claim
    assert count > 500


def test_home_lead_groups_its_markers_after_the_full_stop(real_site: Path) -> None:
    html = (real_site / "index.html").read_text(encoding="utf-8")
    standfirst = html[html.index('class="standfirst"') :]
    standfirst = standfirst[: standfirst.index("</div>")]
    texts = [m["text"] for m in _markers(standfirst).markers]
    assert texts[:2] == ["[1–4]", "[5–7]"]
    assert 'magnets.<span class="cite"' in standfirst  # after the punctuation, not before it


def test_a_quotation_is_shown_once_per_tooltip(real_site: Path) -> None:
    for path in sorted(real_site.rglob("*.html")):
        for tip in re.findall(r'<span class="cite-tip">.*?</span></span></span></span>', path.read_text("utf-8")):
            quotes = re.findall(r'<q class="cite-quote">(.*?)</q>', tip)
            assert len(quotes) == len(set(quotes)), (path, quotes)


def test_references_link_back_to_every_marker_citing_them(real_site: Path) -> None:
    html = (real_site / "facts" / "supply" / "index.html").read_text(encoding="utf-8")
    found = _markers(html)
    by_id = {m["id"]: m for m in found.markers}
    assert found.back
    for ref, marker in found.back:
        assert marker in by_id, (ref, marker)
        number = ref.removeprefix("ref_")
        cited = re.findall(r"\d+", by_id[marker]["text"].replace("–", ","))
        low_high = [int(n) for n in cited]
        assert number in cited or ("–" in by_id[marker]["text"] and low_high[0] <= int(number) <= low_high[-1]), (
            ref,
            by_id[marker]["text"],
        )
    # Every marker is reached back from each reference it cites.
    assert {m for _, m in found.back} == set(by_id)


# Canonical address, share metadata and the sitemap -----------------------------------------------------------


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[str(a.get("property") or a.get("name"))] = a.get("content") or ""
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_page_has_a_canonical_address_and_share_metadata(site: Path) -> None:
    pages = [p for p in sorted(site.rglob("index.html"))]
    assert len(pages) >= 15
    for path in pages:
        address = FIXTURE_URL + path.parent.relative_to(site).as_posix() + "/"
        address = address.replace("/./", "/")
        head = _head(path)
        assert head.canonical == address, path
        assert head.meta["og:url"] == address
        image = head.meta["og:image"]
        assert image.startswith(FIXTURE_URL + "og/") and image.endswith(".png"), image
        assert _png_size((site / image.removeprefix(FIXTURE_URL)).read_bytes()) == (1200, 630)
        assert head.meta["og:image:alt"].endswith(" – Fixture explainer: the metals test")
        assert head.meta["og:image:alt"].startswith(head.meta["og:title"])
        assert head.meta["twitter:card"] == "summary_large_image"


def test_the_sitemap_lists_every_page(site: Path) -> None:
    tree = ElementTree.parse(site / "sitemap.xml")
    listed = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {
        (FIXTURE_URL + path.parent.relative_to(site).as_posix() + "/").replace("/./", "/")
        for path in site.rglob("index.html")
    }
    assert "https://fixture.example/explainer/statuses/" in pages
    assert listed == pages


def test_share_images_are_the_same_bytes_every_time() -> None:
    first = share_image("China mined 270,000 tonnes in 2024", "Rare earths")
    assert first == share_image("China mined 270,000 tonnes in 2024", "Rare earths")
    assert _png_size(first) == (1200, 630)
    assert first != share_image("China mined 270,000 tonnes in 2025", "Rare earths")
    assert b"tEXtSoftware" not in first  # no version of the drawing library in the file


def test_a_publishing_build_needs_the_site_url(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    assert not re.search(r"^url:", (content / "site.yaml").read_text(encoding="utf-8"), re.M)
    result = run("build", "--publish", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 1
    assert (
        f"{content.as_posix()}/site.yaml:1:1: error: site.yaml has no url; a publishing build needs the site's "
        "absolute address (url: https://example.org/explainer/) [missing-site-url]"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
    # The address given on the command line (as CI gives the Pages address) stands in for it.
    result = run(
        "build",
        "--publish",
        "--url",
        "https://pages.example/rare-earths",
        "--content",
        str(content),
        "--site-dir",
        str(tmp_path / "site"),
    )
    assert result.returncode == 0, result.stderr
    head = _head(tmp_path / "site" / "facts" / "basics" / "index.html")
    assert head.canonical == "https://pages.example/rare-earths/facts/basics/"
    page = (tmp_path / "site" / "facts" / "basics" / "index.html").read_text(encoding="utf-8")
    assert "https://pages.example/rare-earths/facts/basics/#alpha-fact" in page.replace("&#35;", "#")


def test_status_badges_link_to_the_claims_by_status(site: Path) -> None:
    html = (site / "facts" / "basics" / "index.html").read_text(encoding="utf-8")
    badges = re.findall(r'<a class="status status-([a-z-]+)" href="([^"]+)">(.*?)</a>', html)
    assert badges
    for status, href, text in badges:
        assert href == f"../../statuses/#status_{status}"
        assert re.sub(r"<[^>]+>", "", text).startswith("Status: ")
    statuses = (site / "statuses" / "index.html").read_text(encoding="utf-8")
    for status in ("confirmed", "single-source", "secondary-only", "reported-denied", "disputed", "corrected"):
        assert f'id="status_{status}"' in statuses
    section = statuses[statuses.index('id="status_confirmed"') : statuses.index('id="status_single-source"')]
    assert 'href="../facts/basics/#alpha-fact"' in section
    assert 'href="../../statuses/" class="md-nav__link"' in html  # in the navigation


# In the browser ------------------------------------------------------------------------------------------------


def test_markers_read_as_groups_and_are_named_for_screen_readers(desktop: Page, real_server: str) -> None:
    desktop.goto(real_server)
    first = desktop.locator(".standfirst .cite-ref").first
    expect(first).to_have_text("[1–4]")
    expect(first).to_have_accessible_name(
        "Source 1: International Energy Agency, 2025; Source 2: Rare Earth Exchanges, 2025; "
        "Source 3: International Energy Agency, 2024; Source 4: Automotive World, 2025"
    )
    expect(desktop.locator(".standfirst .cite-ref").nth(1)).to_have_text("[5–7]")
    lead = desktop.locator(".standfirst p").first.inner_text()
    assert lead.startswith(
        "China refines most of the world's rare earths and makes most of its rare-earth magnets.[1–4] In 2025"
    )


def _header_bottom(page: Page) -> float:
    return float(page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom"))


def _scroll_marker_to(page: Page, index: int, where: str) -> None:
    """Scroll so that marker `index` sits just under the header ('top') or at the window's bottom edge."""
    page.evaluate(
        """([index, where]) => {
            const ref = document.querySelectorAll('.md-content .cite-ref')[index];
            const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
            const box = ref.getBoundingClientRect();
            const target = where === 'top' ? header + 4 : window.innerHeight - box.height - 4;
            window.scrollBy(0, box.top - target);
        }""",
        [index, where],
    )


def _extreme_markers(page: Page) -> dict[str, int]:
    """Indexes of the markers nearest each edge of the page's text: leftmost, rightmost, and two ordinary ones."""
    return dict(
        page.evaluate(
            """() => {
                const refs = [...document.querySelectorAll('.md-content .cite-ref')];
                const lefts = refs.map(r => r.getBoundingClientRect().left);
                const rights = refs.map(r => r.getBoundingClientRect().right);
                return {
                    left: lefts.indexOf(Math.min(...lefts)),
                    right: rights.indexOf(Math.max(...rights)),
                    first: 0,
                    middle: Math.floor(refs.length / 2),
                };
            }"""
        )
    )


def _assert_tip_inside(page: Page, index: int, width: int, height: int, label: str) -> None:
    ref = page.locator(".md-content .cite-ref").nth(index)
    tip = page.locator(".md-content .cite-tip").nth(index)
    expect(tip).to_be_visible()
    box = tip.bounding_box()
    assert box is not None
    top = _header_bottom(page) if width > 800 else 0
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
    assert box["y"] >= top - 0.5 and box["y"] + box["height"] <= height + 0.5, (label, box, top)
    marker = ref.bounding_box()
    assert marker is not None
    if width > 800:  # beside the marker, above or below it, not over it
        assert box["y"] + box["height"] <= marker["y"] + 0.5 or box["y"] >= marker["y"] + marker["height"] - 0.5


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_tooltips_stay_inside_the_window_near_every_edge(
    browser: Browser, real_server: str, width: int, height: int
) -> None:
    context = _context(browser, width, height)
    page = context.new_page()
    for path in ("", "facts/supply/"):
        page.goto(real_server + path)
        for name, index in _extreme_markers(page).items():
            for where in ("top", "bottom"):
                _scroll_marker_to(page, index, where)
                ref = page.locator(".md-content .cite-ref").nth(index)
                if width > 800:
                    ref.hover()
                else:
                    ref.focus()
                _assert_tip_inside(page, index, width, height, f"{path or 'home'} {name} marker at the {where}")
                page.mouse.move(width - 2, height - 2)
                page.keyboard.press("Escape")
                page.evaluate("document.activeElement.blur()")
    context.close()


def test_a_tap_opens_a_tooltip_and_a_tap_outside_or_close_dismisses_it(browser: Browser, real_server: str) -> None:
    context = _context(browser, 390, 844, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(real_server + "facts/supply/")
    url = page.url
    cite = page.locator(".md-content .cite").nth(2)
    tip, close = cite.locator(".cite-tip"), cite.locator(".cite-close")
    cite.locator(".cite-ref").tap()
    expect(tip).to_be_visible()
    expect(close).to_be_visible()
    expect(close).to_have_accessible_name("Close")
    assert page.url == url  # the first tap does not follow the link
    close.tap()
    expect(tip).to_be_hidden()
    cite.locator(".cite-ref").tap()
    expect(tip).to_be_visible()
    page.locator("h1").first.tap()
    expect(tip).to_be_hidden()
    assert page.url == url
    # A second tap on an open marker follows it to its reference.
    cite.locator(".cite-ref").tap()
    expect(tip).to_be_visible()
    cite.locator(".cite-ref").tap()
    page.wait_for_url(re.compile(r"#ref_\d+$"))
    context.close()


def test_escape_dismisses_a_tooltip_opened_by_focus_or_hover(desktop: Page, real_server: str) -> None:
    desktop.goto(real_server + "facts/supply/")
    ref = desktop.locator(".md-content .cite-ref").nth(3)
    tip = desktop.locator(".md-content .cite-tip").nth(3)
    ref.focus()
    expect(tip).to_be_visible()
    desktop.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    expect(ref).to_be_focused()
    ref.hover()
    desktop.mouse.move(5, 500)
    ref.hover()
    expect(tip).to_be_visible()
    desktop.keyboard.press("Escape")
    expect(tip).to_be_hidden()


def test_back_links_return_to_the_marker(desktop: Page, real_server: str) -> None:
    desktop.goto(real_server + "facts/supply/")
    back = desktop.locator("li#ref_2 a[href^='#cite_']")
    assert back.count() >= 2  # cited in several places: "↑ a b ..."
    expect(back.first).to_have_accessible_name("Back to citation a")
    target = str(back.nth(1).get_attribute("href"))
    back.nth(1).click()
    desktop.wait_for_url(re.compile(re.escape(target) + "$"))
    marker = desktop.locator(target)
    expect(marker).to_be_in_viewport()
    assert re.search(r"\b2\b|1–|–", marker.inner_text())
    marker.focus()
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(r"#ref_\d+$"))


def test_copy_buttons_put_the_citation_on_the_clipboard(browser: Browser, server: str) -> None:
    context = _context(browser, 1366, 900)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    page.goto(server + "facts/basics/")
    box = page.locator("#alpha-fact ~ details.cite-this").first
    box.locator("summary").click()
    copy_text = box.get_by_role("button", name="Copy citation")
    copy_bibtex = box.get_by_role("button", name="Copy BibTeX")
    copy_text.focus()
    page.keyboard.press("Enter")
    expect(box.get_by_role("status")).to_have_text("Citation copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        "Test desk. “Alpha dysprosium output.” Fixture explainer: the metals test, as of 31 January 2025. "
        f"{FIXTURE_URL}facts/basics/#alpha-fact. Accessed {format_date(dt.date.today())}."
    )
    copy_bibtex.focus()
    page.keyboard.press("Space")
    expect(box.get_by_role("status")).to_have_text("BibTeX copied")
    bibtex = page.evaluate("navigator.clipboard.readText()")
    assert bibtex.startswith("@misc{alpha-fact,\n")
    assert f"  url = {{{FIXTURE_URL}facts/basics/#alpha-fact}},\n" in bibtex
    assert bibtex.endswith(f"  urldate = {{{dt.date.today().isoformat()}}}\n}}")
    share = page.get_by_role("button", name="Copy link")
    share.click()
    assert page.evaluate("navigator.clipboard.readText()") == FIXTURE_URL + "facts/basics/"
    mail = page.locator("aside.share a.share-mail")
    assert mail.get_attribute("href") == (
        "mailto:?subject=The%20basics&body=https%3A//fixture.example/explainer/facts/basics/"
    )
    context.close()


def test_status_badge_leads_to_its_meaning_and_claims(desktop: Page, server: str) -> None:
    desktop.goto(server + "facts/basics/")
    badge = desktop.locator("#alpha-fact ~ .fact-meta a.status").first
    expect(badge).to_be_visible()
    name = badge.evaluate("a => a.lastChild.textContent")
    badge.click()
    desktop.wait_for_url(re.compile(r"/statuses/#status_[a-z-]+$"))
    section = desktop.locator(f"[id='{desktop.url.rsplit('#', 1)[1]}']")
    expect(section).to_be_in_viewport()
    expect(section).to_contain_text(name)


@pytest.mark.parametrize("path", ["", "facts/supply/", "statuses/", "method/"])
def test_pages_with_an_open_tooltip_pass_axe(desktop: Page, real_server: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from tests.test_browser import WCAG

    desktop.goto(real_server + path)
    if desktop.locator(".md-content .cite-ref").count():
        desktop.locator(".md-content .cite-ref").first.focus()
        expect(desktop.locator(".md-content .cite-tip").first).to_be_visible()
    violations = Axe().run(desktop, options=WCAG).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
