"""Safety: no content can run script or call another host, and no build can remove what it did not create.

Each class of attack found in review has tests here: the values reaching the theme, front matter,
attribute syntax, link targets however written, images and styles from other hosts, the output folder,
concurrent and killed builds, ids that collide with generated names, one-line messages, charts.
Pages are read with an HTML parser, never searched as text.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from builder.markup import Prose
from builder.problems import Problem
from builder.write import STAMP, SiteWriter, exchange
from tests.conftest import FIXTURE, ROOT, run, write
from tests.test_build import tree_digest

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "srcset", "xlink:href", "cite"}
LOADS = {("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"), ("source", "src"), ("video", "src")}


class PageAudit(HTMLParser):
    """What a built page holds that could run script or make the browser ask another host for something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.faults: list[str] = []
        self.title = ""
        self.meta: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on") or (name in ("autofocus", "style") and tag not in ("svg",)):
                if name == "style" and tag in ("div", "span") and value.startswith("--md-"):
                    continue  # the theme's own progress bar custom properties
                self.faults.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES:
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                if url.startswith(("javascript:", "data:", "vbscript:")):
                    self.faults.append(f"<{tag} {name}={value!r}>")
                host = urlsplit(url).netloc
                if (tag, name) in LOADS and (host or url.startswith("//")):
                    self.faults.append(f"<{tag} {name}={value!r}> loads from another host")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.faults.append(f"<meta http-equiv=refresh content={values.get('content')!r}>")
        if tag == "meta" and "name" in values:
            self.meta[values["name"]] = values.get("content", "")
        if tag == "meta" and "property" in values:
            self.meta[values["property"]] = values.get("content", "")
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def audit(page: Path) -> PageAudit:
    parser = PageAudit()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def set_site(content: Path, **values: object) -> None:
    site = content / "site.yaml"
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    for key, value in values.items():
        data[key] = value
    site.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def check_lines(content: Path) -> tuple[int, list[str]]:
    result = run("check", "--content", str(content), cwd=content.parent)
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, result.stdout.splitlines()


HOSTILE_TITLE = 'Metals" onfocus="alert(document.domain)" autofocus="'
HOSTILE_DESCRIPTION = '0;url=https://evil.example/" http-equiv="refresh'


def hostile_content(root: Path) -> Path:
    """The fixture content with values that broke out of the theme's attributes and the front matter."""
    import shutil

    content = root / "content"
    shutil.copytree(FIXTURE, content)
    set_site(
        content,
        title=HOSTILE_TITLE,
        description=HOSTILE_DESCRIPTION,
        labels={
            "questions": "!!binary PC90aXRsZT48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+",
            "facts": "Facts: \"all\" & 'some'",
        },
    )
    facts = content / "facts" / "basics.yaml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace("title: Alpha dysprosium output", "title: 'Alpha: template: x\" hide: [nav]'")
    facts.write_text(text, encoding="utf-8")
    code, lines = check_lines(content)
    assert code == 0, lines
    return content


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    content = hostile_content(root)
    result = run("build", "--content", str(content), "--site-dir", str(root / "site"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_zensical_engine_escapes_the_same_values(tmp_path: Path) -> None:
    """Zensical's own templates write the site name and titles unescaped too: its fixed copies are used."""
    pytest.importorskip("zensical")
    content = hostile_content(tmp_path)
    result = run("build", "--content", str(content), "--site-dir", str(tmp_path / "site"), "--engine", "zensical")
    assert result.returncode == 0, result.stderr
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert audit(page).faults == [], page
    home = audit(tmp_path / "site" / "facts" / "basics" / "index.html")
    assert home.title.strip() == f"The basics - {HOSTILE_TITLE}"


def test_no_page_runs_script_or_loads_from_another_host(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert audit(page).faults == [], page


def test_site_title_and_description_arrive_as_text(hostile_site: Path) -> None:
    page = audit(hostile_site / "facts" / "basics" / "index.html")
    assert page.title.strip() == f"The basics - {HOSTILE_TITLE}"
    assert page.meta["og:site_name"] == HOSTILE_TITLE
    not_found = audit(hostile_site / "404.html")
    assert not_found.meta["description"] == HOSTILE_DESCRIPTION
    assert "refresh" not in str(not_found.meta.keys())


def test_front_matter_values_cannot_become_yaml_or_keys(hostile_site: Path) -> None:
    questions = audit(hostile_site / "questions" / "index.html")
    assert questions.title.strip().startswith("!!binary PC90aXRsZT48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+ - ")
    facts = audit(hostile_site / "facts" / "index.html")
    assert facts.title.strip().startswith("Facts: \"all\" & 'some' - ")
    basics = (hostile_site / "facts" / "basics" / "index.html").read_text(encoding="utf-8")
    assert "hide: [nav]" not in basics.split("<article", 1)[0], "no front-matter key injected"
    assert "md-sidebar--primary" in basics, "the navigation is not hidden"


# --- editor Markdown: every refusal is located by check, and the sanitiser holds regardless ---------------

PAYLOADS = {
    "*this*{: tabindex=0 autofocus onfocus=alert(1) }": "attribute-syntax",
    "Hover {: onmouseover=alert(1) } here": "attribute-syntax",
    "[x](https://ok.example){: href=javascript:alert(1) }": "attribute-syntax",
    "A {: style=background:url(https://tracker.example/p.gif) } b": "attribute-syntax",
    "[x](java\nscript:alert(1))": "unsafe-link",
    '[r][r]\n\n[r]: javascript:alert(1) "t"': "unsafe-link",
    "[x](&#106;avascript:alert(1))": "unsafe-link",
    "[x](java&#x09;script:alert(1))": "unsafe-link",
    "[x](javascript&colon;alert(1))": "unsafe-link",
    "[x](JaVaScRiPt:alert(1))": "unsafe-link",
    "[x](data:text/html;base64,PHNjcmlwdD4=)": "unsafe-link",
    "[x](vbscript:msgbox(1))": "unsafe-link",
    "<mail@example.org>": "unsafe-link",
    "![x](https://tracker.example/p.gif)": "unsafe-link",
    "![x](//tracker.example/p.gif)": "unsafe-link",
    "[x](//evil.example/)": "unsafe-link",
    "[x](https://user@evil.example/)": "unsafe-link",
    "# A heading": "unsafe-markup",
    "Text\n\n---\n\nmore": "unsafe-markup",
}


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_markdown_payload_is_refused_by_check_and_inert_after_sanitising(payload: str) -> None:
    prose = Prose()
    assert PAYLOADS[payload] in {r.code for r in prose.audit(payload)}
    html = str(prose.html(payload))
    page = PageAudit()
    page.feed(f"<div>{html}</div>")
    assert page.faults == []
    assert "\n" not in html
    for tag in re.findall(r"<([a-z0-9]+)", html):
        assert tag in {"p", "em", "strong", "a", "code", "pre", "img"}, html


@pytest.mark.parametrize("payload", ["*this*{: tabindex=0 autofocus onfocus=alert(1) }", "[x](java\nscript:alert(1))"])
def test_refusal_in_a_statement_is_located_at_the_value(content: Path, payload: str) -> None:
    facts = content / "facts" / "basics.yaml"
    data = yaml.safe_load(facts.read_text(encoding="utf-8"))
    data[0]["statement"] = payload
    facts.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, lines = check_lines(content)
    assert code == 1
    located = [line for line in lines if line.startswith("content/facts/basics.yaml:")]
    assert located, lines
    assert re.match(r"^content/facts/basics\.yaml:\d+:\d+: error: .+ \[(attribute-syntax|unsafe-link)\]$", located[0])


def test_safe_markdown_keeps_links_and_emphasis() -> None:
    html = str(Prose().html("See **the** [survey](https://example.org/a_b?c=1&d=2) and [more](#alpha-fact)."))
    assert html == (
        '<p>See <strong>the</strong> <a href="https://example.org/a_b?c=1&amp;d=2">survey</a> and '
        '<a href="#alpha-fact">more</a>&#46;</p>'.replace("&#46;", ".")
    )


# --- ids, labels and plain fields that reach headings -----------------------------------------------------------


def test_ids_and_labels_that_would_replace_generated_things_are_refused(content: Path) -> None:
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    site["topics"].append({"id": "index", "label": "Index topic"})
    site["topics"].append(dict(site["topics"][0]))
    site["labels"] = {"home": "About"}
    (content / "site.yaml").write_text(yaml.safe_dump(site, sort_keys=False), encoding="utf-8")
    write(
        content / "questions" / "reserved.yaml",
        "- id: index\n  question: Q?\n  short_answer: A.\n  answer: A.\n  as_of: 2025-01-01\n",
    )
    code, lines = check_lines(content)
    assert code == 1
    text = "\n".join(lines)
    assert (
        "error: topic id 'index' is reserved: it would replace a generated page; choose another id [reserved-id]"
        in text
    )
    assert (
        "error: question id 'index' is reserved: it would replace a generated page; choose another id [reserved-id]"
        in text
    )
    assert re.search(r"error: duplicate topic id '[a-z-]+' \(first at line \d+\) \[duplicate-id\]", text)
    assert (
        "error: labels 'home' and 'about' are both 'About': each navigation entry needs its own label [duplicate-label]"
        in text
    )


def test_generated_ids_cannot_collide_with_item_ids(content: Path, tmp_path: Path) -> None:
    """Item ids are lower-case words and hyphens; every id the builder makes contains '_'."""
    result = run("build", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    item_id = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    ids: list[str] = []

    class Ids(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            ids.extend(v or "" for k, v in attrs if k == "id")

    for page in (tmp_path / "site").rglob("*.html"):
        ids.clear()
        Ids().feed(page.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), (page, sorted(i for i in ids if ids.count(i) > 1))
    generated = {"ref_1", "cite_1", "page_references", "page_title"}
    assert not any(item_id.match(g) for g in generated)


def test_blank_titles_and_infinite_numbers_are_refused(content: Path) -> None:
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("title: Alpha dysprosium output", "title: '   '"))
    datasets = sorted((content / "datasets").glob("*.yaml"))
    if datasets:
        text = datasets[0].read_text(encoding="utf-8")
        datasets[0].write_text(re.sub(r"(values: \{\s*\w+: )[0-9.]+", r"\g<1>.inf", text, count=1), encoding="utf-8")
    code, lines = check_lines(content)
    assert code == 1
    assert any(
        line.endswith("error: fact 'alpha-fact': 'title' needs some text, not only spaces [empty-value]")
        for line in lines
    ), lines


# --- messages ---------------------------------------------------------------------------------------------------------


def test_a_problem_is_always_one_line() -> None:
    problem = Problem("content/facts/a\nb.yaml", 1, 2, "bad-value", "value 'x\ny\r\x1b[31m' is wrong")
    assert problem.text() == "content/facts/a\\nb.yaml:1:2: error: value 'x\\ny\\r\\x1b[31m' is wrong [bad-value]"
    assert len(Problem("f", 1, 1, "bad-value", "v" * 10_000).message) == 400


def test_problems_per_file_are_capped_and_counted(content: Path) -> None:
    refs = " ".join(f"[@nowhere-{i}]" for i in range(400))
    facts = content / "facts" / "basics.yaml"
    data = yaml.safe_load(facts.read_text(encoding="utf-8"))
    data[0]["statement"] = f"Many refs {refs}."
    facts.write_text(yaml.safe_dump(data, sort_keys=False, width=10**6), encoding="utf-8")
    code, lines = check_lines(content)
    assert code == 1
    mine = [line for line in lines if line.startswith("content/facts/basics.yaml:")]
    assert len(mine) == 51
    assert re.match(
        r"^content/facts/basics\.yaml:\d+:\d+: error: 350 more problems in this file \(350 errors\) "
        r"are not listed; fix the ones above and check again \[more-errors\]$",
        mine[-1],
    )


def test_a_two_megabyte_file_of_unknown_references_checks_quickly(content: Path) -> None:
    line = "- id: f{n}\n  title: T\n  statement: '" + " ".join(f"[@x{i}]" for i in range(20)) + "'\n"
    body = "".join(line.format(n=n) for n in range(9000))
    write(content / "facts" / "huge.yaml", body[: 2 * 1024 * 1024 - 1000])
    start = time.monotonic()
    code, lines = check_lines(content)
    elapsed = time.monotonic() - start
    assert code == 1
    assert len(lines) < 200
    assert elapsed < 30, elapsed  # a guard against runaway work; the benchmark reports the real figure


# --- files ---------------------------------------------------------------------------------------------------------


def test_links_pipes_and_folders_named_like_yaml_are_refused(content: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "outside.yaml", "- id: x\n")
    (content / "facts" / "link.yaml").symlink_to(outside)
    os.mkfifo(content / "facts" / "pipe.yaml")
    (content / "facts" / "folder.yaml").mkdir()
    (content / "people-link").symlink_to(content / "people", target_is_directory=True)
    code, lines = check_lines(content)
    assert code == 1
    assert "content/facts/folder.yaml:1:1: error: is a folder, not a YAML file [unreadable-file]" in lines
    assert (
        "content/facts/link.yaml:1:1: error: is a symbolic link; content files must be regular files in the content folder [unreadable-file]"
        in lines
    )
    assert (
        "content/facts/pipe.yaml:1:1: error: is not a regular file (a pipe, socket or device) [unreadable-file]"
        in lines
    )
    assert (
        "content/people-link:1:1: error: is a symbolic link to a folder; the builder does not follow links [unreadable-file]"
        in lines
    )


def test_content_pointing_at_a_content_type_folder_is_explained(content: Path) -> None:
    code, lines = check_lines(content / "facts")
    assert code == 1
    assert lines[0] == (
        "facts:1:1: error: this is a 'facts' folder: --content takes the folder that holds site.yaml [missing-site]"
    )


def test_new_refuses_a_pipe_instead_of_hanging(content: Path) -> None:
    os.mkfifo(content / "facts" / "pipe.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "builder", "new", "fact", "new-one", "--file", "pipe.yaml", "--content", str(content)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "pipe.yaml is not a regular file (a link, folder, pipe or device); choose another --file" in result.stderr


def test_schema_out_an_existing_file_is_a_usage_error(tmp_path: Path) -> None:
    target = write(tmp_path / "file.txt", "keep me\n")
    result = run("schema", "--out", str(target))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: --out {target}: is a file, not a folder"
    assert target.read_text() == "keep me\n"


def test_serve_warns_when_listening_beyond_this_machine(tmp_path: Path) -> None:
    result = run("serve", "--content", str(tmp_path / "missing"), "--dev-addr", "0.0.0.0:0")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "warning: serving on 0.0.0.0, which other machines can reach; the preview is meant for this machine only"
    )
    quiet = run("serve", "--content", str(tmp_path / "missing"), "--dev-addr", "127.0.0.1:0")
    assert "warning: serving on" not in quiet.stderr


# --- the output folder ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("content", "is the content folder"),
        (".", "holds the content folder"),
        ("sub/..", "holds the content folder"),
        ("docs", "is a folder the builder did not create"),
        ("content/facts", "is inside the content folder"),
        ("/", "holds the content folder"),
    ],
)
def test_site_dir_that_would_destroy_files_is_refused(tmp_path: Path, target: str, reason: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    import shutil

    shutil.copytree(FIXTURE, project / "content")
    (project / "docs").mkdir()
    (project / "docs" / "page.md").write_text("# Page\n")
    (project / "sub").mkdir()
    before = tree_digest(project)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder",
            "build",
            "--content",
            "content",
            "--site-dir",
            target,
            "--config",
            str(ROOT / "mkdocs.yml"),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error: --site-dir {target}: {reason}")
    assert result.stderr.rstrip().endswith("Nothing was written. [unsafe-site-dir]")
    assert tree_digest(project) == before


def test_repository_root_and_git_folder_are_refused() -> None:
    for target in (".", ".git", ".git/objects"):
        result = run("build", "--site-dir", target)
        assert result.returncode == 2, result.stderr
        assert "[unsafe-site-dir]" in result.stderr


def test_non_empty_folder_without_the_stamp_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    write(folder / "notes.txt", "precious\n")
    result = run("build", "--content", str(FIXTURE), "--site-dir", str(folder))
    assert result.returncode == 2
    assert "is a folder the builder did not create" in result.stderr
    assert (folder / "notes.txt").read_text() == "precious\n"
    file = write(tmp_path / "afile", "x")
    assert run("build", "--content", str(FIXTURE), "--site-dir", str(file)).returncode == 2
    assert file.read_text() == "x"


def test_site_folder_is_stamped_and_rebuilt_in_place(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for _ in range(2):
        result = run("build", "--content", str(FIXTURE), "--site-dir", str(site))
        assert result.returncode == 0, result.stderr
    assert (site / STAMP).is_file()
    assert not (tmp_path / ".site.building").exists()


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x", "a")
    write(tmp_path / "b" / "x", "b")
    assert exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "x").read_text() == "b"
    assert (tmp_path / "b" / "x").read_text() == "a"


def test_stale_staging_folder_is_removed_but_a_foreign_one_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    stale = tmp_path / ".site.building"
    write(stale / STAMP, "stamp")
    write(stale / "half.html", "<p>half")
    with SiteWriter(site) as staging:
        assert staging == stale
        assert not (staging / "half.html").exists()
    assert not stale.exists()
    write(stale / "theirs.txt", "not ours")
    result = run("build", "--content", str(FIXTURE), "--site-dir", str(site))
    assert result.returncode == 1
    assert "was not made by the builder" in result.stderr
    assert (stale / "theirs.txt").read_text() == "not ours"


def _complete(site: Path) -> bool:
    return (site / "index.html").is_file() and (site / STAMP).is_file() and (site / "sources" / "index.html").is_file()


def test_concurrent_builds_both_succeed_and_leave_a_complete_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    command = [sys.executable, "-m", "builder", "build", "--content", str(FIXTURE), "--site-dir", str(site)]
    for _ in range(2):
        procs = [
            subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        results = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], results
        assert all("Traceback" not in err for _, err in results)
        assert _complete(site)
        assert not (tmp_path / ".site.building").exists()


@pytest.mark.parametrize("delay", [0.3, 1.2, 2.4])
def test_a_killed_build_leaves_a_complete_site(tmp_path: Path, delay: float) -> None:
    site = tmp_path / "site"
    assert run("build", "--content", str(FIXTURE), "--site-dir", str(site)).returncode == 0
    before = tree_digest(site)
    proc = subprocess.Popen(
        [sys.executable, "-m", "builder", "build", "--content", str(FIXTURE), "--site-dir", str(site)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert _complete(site)
    assert tree_digest(site) == before  # same content either way: the old site or an identical new one
    again = run("build", "--content", str(FIXTURE), "--site-dir", str(site))
    assert again.returncode == 0, again.stderr
    assert not (tmp_path / ".site.building").exists()


# --- charts --------------------------------------------------------------------------------------------------------


def test_chart_labels_with_dollar_signs_are_text_not_maths() -> None:
    from builder.charts import bar_chart
    from builder.model import Dataset

    dataset = Dataset.model_validate(
        {
            "id": "money",
            "title": "From $5 to $10 bn",
            "description": "Money.",
            "source": "s",
            "as_of": "2025-01-01",
            "columns": [{"id": "v", "label": "$\\foo$"}],
            "rows": [{"label": "$\\foo$", "values": {"v": 5}}, {"label": "From $5 to $10 bn", "values": {"v": 10}}],
        }
    )
    svg = bar_chart(dataset)
    assert svg.startswith("<?xml")


def test_generated_mkdocs_project_escapes_the_same_values(tmp_path: Path) -> None:
    """`generate` (for MkDocs) copies the fixed Material templates in: plain `mkdocs build` is as safe."""
    content = hostile_content(tmp_path)
    assert run("generate", "--content", str(content), "--out", str(tmp_path / "project")).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=tmp_path / "project",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    pages = sorted((tmp_path / "project" / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert audit(page).faults == [], page


def test_problems_found_while_reading_are_capped_too(content: Path) -> None:
    write(content / "facts" / "aliases.yaml", "- &a x\n" + "- *a\n" * 5_000)
    code, lines = check_lines(content)
    assert code == 1
    mine = [line for line in lines if line.startswith("content/facts/aliases.yaml:")]
    assert len(mine) == 51
    assert mine[-1].endswith(
        "4,951 more problems in this file (4,951 errors) are not listed; fix the ones above and check again [more-errors]"
    )
