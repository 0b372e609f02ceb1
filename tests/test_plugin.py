"""The MkDocs plugin: any MkDocs project builds an explainer with `plugins: [explainer]`; state lives on the
plugin instance and survives live-reload rebuilds; an explainer shows only its own hand-written pages."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jinja2 import FileSystemLoader
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from builder import charts
from builder.build import Preparer
from builder.plugin import ExplainerPlugin, set_poll_interval
from tests.conftest import FIXTURE, ROOT, run, write
from tests.test_build import parse

MKDOCS = Path(sys.executable).parent / "mkdocs"


def mkdocs(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MKDOCS), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_a_bare_mkdocs_project_builds_the_fixture_explainer(tmp_path: Path, theme: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project / "explainer")
    (project / "docs").mkdir()
    write(
        project / "mkdocs.yml",
        f"site_name: Not the explainer's name\ntheme: {theme}\nplugins:\n  - explainer:\n      content: explainer\n",
    )
    result = mkdocs("build", "--strict", cwd=project)
    assert result.returncode == 0, result.stderr
    out = project / "site"
    for page in ("index.html", "facts/basics/index.html", "questions/what-is-alpha/index.html", "sources/index.html"):
        assert (out / page).is_file(), page
    home = (out / "index.html").read_text()
    assert "<title>Fixture explainer: the metals test</title>" in home
    assert (out / "assets" / "explainer.css").is_file()
    assert 'href="assets/explainer.css"' in home
    facts = (out / "facts" / "basics" / "index.html").read_text()
    # attr_list and tables were added to the project's Markdown extensions: ids on headings, tables as tables
    assert 'id="alpha-fact"' in facts
    assert (
        '<li id="ref_1" value="1"><span class="ref-back">↑ <a href="#cite_1" aria-label="Back to citation a">a</a>'
        in facts
    )
    data = (out / "data" / "index.html").read_text()
    assert "<table" in data and "| ---" not in data
    assert (out / "data" / "output-by-country.svg").read_text().startswith("<?xml")
    if theme == "material":  # the fixed copy of Material's base.html
        assert '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">' in home
    else:
        assert "md-toggle" not in home and "<title>" in home


def test_a_site_can_keep_its_own_name_and_nav(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project / "explainer")
    write(project / "docs" / "about-us.md", "# About us\n\nAn existing page.\n")
    write(
        project / "mkdocs.yml",
        "site_name: An existing site\ntheme: material\n"
        "plugins:\n  - search\n  - explainer:\n      content: explainer\n      site_settings: false\n",
    )
    result = mkdocs("build", "--strict", cwd=project)
    assert result.returncode == 0, result.stderr
    home = (project / "site" / "index.html").read_text()
    assert "<title>An existing site</title>" in home
    assert (project / "site" / "about-us" / "index.html").is_file()


def test_content_errors_stop_a_plain_mkdocs_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project / "explainer")
    (project / "docs").mkdir()
    facts = project / "explainer" / "facts" / "basics.yaml"
    facts.write_text(facts.read_text() + "- id: [broken\n")
    write(project / "mkdocs.yml", "site_name: x\nplugins:\n  - explainer:\n      content: explainer\n")
    result = mkdocs("build", cwd=project)
    assert result.returncode == 1
    assert "content has errors:" in result.stderr
    assert "explainer/facts/basics.yaml:" in result.stderr and "[yaml-syntax]" in result.stderr
    assert not (project / "site").exists()


def refused(tmp_path: Path, settings: str = "", plugin_settings: str = "") -> str:
    """What `mkdocs build` says when it refuses a project with these settings (and the plugin's), failing."""
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    explainer = f"  - explainer:\n      content: {FIXTURE}\n{plugin_settings}"
    write(project / "mkdocs.yml", f"site_name: x\n{settings}plugins:\n{explainer}")
    result = mkdocs("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    return result.stderr


def test_the_plugin_needs_directory_urls(tmp_path: Path) -> None:
    said = refused(tmp_path, settings="use_directory_urls: false\n")
    assert "the explainer plugin needs use_directory_urls: true (its pages link to folders)" in said


def test_content_folder_is_relative_to_the_config_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project / "explainer")
    (project / "docs").mkdir()
    write(project / "mkdocs.yml", "site_name: x\nplugins:\n  - explainer:\n      content: explainer\n")
    config = load_config(config_file=str(project / "mkdocs.yml"))
    plugin = config.plugins["explainer"]
    assert isinstance(plugin, ExplainerPlugin)
    assert plugin.resolve_content(config) == (project / "explainer").resolve()


def test_the_plugin_instance_is_kept_across_rebuilds_with_its_caches(tmp_path: Path) -> None:
    """What `mkdocs serve` does at each rebuild: load the configuration again, then build."""
    config_file = ROOT / "mkdocs.yml"
    first = load_config(config_file=str(config_file), plugins={"search": {}, "explainer": {"content": str(FIXTURE)}})
    plugin = first.plugins["explainer"]
    assert isinstance(plugin, ExplainerPlugin)
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(first)
    prepared = plugin.preparer.last
    assert prepared is not None and len(plugin.preparer.parsed) == 9 and len(plugin.preparer.charts) == 1
    again = load_config(config_file=str(config_file), plugins={"search": {}, "explainer": {"content": str(FIXTURE)}})
    assert again.plugins["explainer"] is plugin and plugin.serving
    plugin.on_config(again)
    assert plugin.preparer.last is prepared  # nothing changed: nothing read again


def test_a_changed_file_is_parsed_again_and_the_others_are_not(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preparer = Preparer()
    first = preparer.prepare(content)
    assert first.rendered is not None
    facts = content / "facts" / "basics.yaml"
    facts.write_text(facts.read_text().replace("output at 100 t", "output at 123 t"))
    drawn: list[str] = []
    draw = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda dataset, *rest: drawn.append(dataset.id) or draw(dataset, *rest))
    second = preparer.prepare(content)
    assert second is not first and second.rendered is not None
    assert "output at 123 t" in second.rendered.pages["facts/basics.md"]
    svg = {path for path in first.rendered.assets if path.endswith(".svg")}
    assert svg and drawn == [] and all(second.rendered.assets[path] == first.rendered.assets[path] for path in svg)
    assert "output at 123 t" in second.rendered.assets["data/download/facts.csv"]  # the downloads follow the facts


def test_poll_interval_reaches_the_watchers(tmp_path: Path) -> None:
    """MkDocs' server has no setting for its polling interval: the plugin sets watchdog's, which this checks."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path))
    assert [e.timeout for e in server.observer.emitters] == [0.5]
    set_poll_interval(server, 0.1)
    server.watch(str(ROOT / "builder" / "templates"))
    assert sorted(e.timeout for e in server.observer.emitters) == [0.1, 0.1]
    assert server.observer.timeout == 0.1


def test_the_preview_rebuilds_a_fifth_of_a_poll_after_a_save(tmp_path: Path) -> None:
    """MkDocs waits 0.1 s after a change for more before it rebuilds, a fifth of its 0.5 s poll; the plugin polls
    every 0.1 s and waits a fifth of that."""
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), plugins={"explainer": {"content": str(FIXTURE)}})
    plugin = config.plugins["explainer"]
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        assert server.build_delay == 0.1
        plugin.on_serve(server, config, None)
        assert server.build_delay == pytest.approx(0.02)
        assert {e.timeout for e in server.observer.emitters} == {0.1}
    finally:
        server.server_close()


def test_the_preview_indexes_search_in_smaller_parts_than_a_build() -> None:
    """A save indexes again the part of the records it changed: 1,000 records in the preview, 6,000 in a build."""
    sizes = {}
    for command in ("serve", "build"):
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), plugins={"explainer": {"content": str(FIXTURE)}})
        plugin = config.plugins["explainer"]
        assert isinstance(plugin, ExplainerPlugin)
        plugin.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
        plugin.on_config(config)
        sizes[command] = plugin.indexer.part_size
    assert sizes == {"serve": 1_000, "build": 6_000}


@pytest.mark.parametrize("setting", ["search_part", "preview_search_part"])
def test_a_search_part_of_no_records_is_refused(tmp_path: Path, setting: str) -> None:
    said = refused(tmp_path, plugin_settings=f"      {setting}: 0\n")
    assert f"explainer: {setting} is 0; it must be 1 or more records" in said


def test_the_preview_freezes_what_its_first_build_left_once_and_thaws_when_it_stops(
    content: Path, tmp_path: Path
) -> None:
    """builder/collector.py: after the preview's first build, what is alive is frozen out of the collector's
    scans, once (not at every save); the preview thaws it when it stops."""
    import gc

    from mkdocs.commands.build import build

    def config() -> Any:  # as `mkdocs serve` loads it before each build
        loaded = load_config(
            config_file=str(ROOT / "mkdocs.yml"),
            plugins={"search": {}, "explainer": {"content": str(content)}},
            site_dir=str(tmp_path / "site"),
        )
        loaded["strict"] = False  # MkDocs warns of a dirty build
        return loaded

    first = config()
    plugin = first.plugins["explainer"]
    assert isinstance(plugin, ExplainerPlugin)
    plugin.on_startup(command="serve", dirty=True)
    assert gc.get_freeze_count() == 0
    try:
        build(first, serve_url="http://127.0.0.1:8000/", dirty=True)
        frozen = gc.get_freeze_count()
        assert frozen > 10_000 and plugin.settled
        facts = content / "facts" / "basics.yaml"
        facts.write_text(facts.read_text(encoding="utf-8").replace("output at 100 t", "output at 120 t"), "utf-8")
        build(config(), serve_url="http://127.0.0.1:8000/", dirty=True)
        assert "120 t" in (tmp_path / "site" / "facts" / "basics" / "index.html").read_text(encoding="utf-8")
        assert gc.get_freeze_count() <= frozen, "frozen once, not at every save (some of it has died since)"
        plugin.on_shutdown()
        assert gc.get_freeze_count() == 0 and not plugin.settled
    finally:
        gc.unfreeze()


def test_the_theme_is_listed_without_looking_into_hidden_folders(tmp_path: Path) -> None:
    """builder/themefiles.py: MkDocs adds no file under a folder named with a leading dot, so the listing leaves
    them out (Material's 14,500 icons); the site gets the same theme files, and templates still load from there."""
    from jinja2 import Environment
    from mkdocs.structure.files import Files

    from builder.themefiles import VisibleLoader

    theme = tmp_path / "theme"
    write(theme / "assets" / "site.css", "body {}")
    write(theme / ".icons" / "mark.svg", "<svg></svg>")
    write(theme / "main.html", "{% include '.icons/mark.svg' %}")
    loader = VisibleLoader([str(theme)])
    assert loader.list_templates() == ["assets/site.css", "main.html"]
    assert Environment(loader=loader).get_template("main.html").render() == "<svg></svg>"
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), plugins={"explainer": {"content": str(FIXTURE)}})
    config.plugins["explainer"].on_config(config)
    listed = config.theme.get_env()
    assert isinstance(listed.loader, VisibleLoader)
    as_mkdocs = config.theme.get_env()
    as_mkdocs.loader = FileSystemLoader(config.theme.dirs)
    theirs, ours = Files([]), Files([])
    theirs.add_files_from_theme(as_mkdocs, config)
    ours.add_files_from_theme(listed, config)
    assert [(f.src_uri, f.abs_src_path) for f in ours] == [(f.src_uri, f.abs_src_path) for f in theirs]
    assert len(ours) > 10


def test_builder_keeps_no_state_in_module_globals() -> None:
    """No module of builder/ assigns a mutable global at top level, nor reads state from the environment."""
    for module in sorted((ROOT / "builder").glob("*.py")):
        source = module.read_text()
        assert "os.environ.get(" not in source and "global " not in source, module.name
        for node in ast.parse(source).body:
            if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict | ast.List | ast.Set):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                assert all(name.isupper() for name in names), f"{module.name}: mutable global {names}"


def test_another_content_folder_shows_none_of_the_first_explainers_pages(site: Path) -> None:
    assert (ROOT / "content" / "pages" / "editing.md").is_file()
    assert not (site / "editing").exists()
    home = (site / "index.html").read_text()
    assert "How this site is made" not in home and "editing/" not in home
    assert not (site / "editor-guide").exists()


def test_an_explainers_own_pages_are_under_about(content: Path, tmp_path: Path) -> None:
    write(content / "pages" / "colophon.md", "# Colophon\n\nWho made this explainer.\n")
    out = tmp_path / "site"
    result = run("build", "--content", str(content), "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "colophon" / "index.html").is_file()
    home = parse(out / "index.html")
    assert ("a", "colophon/") in home.refs
    nav = (out / "method" / "index.html").read_text().split('<nav class="md-nav md-nav--primary', 1)[1]
    about = nav[nav.index("About") :]
    assert 0 < about.index("How we check facts") < about.index("Colophon")  # after the generated About pages


def test_the_tools_documentation_is_a_site_of_its_own(tmp_path: Path) -> None:
    out = tmp_path / "docs-site"
    result = mkdocs("build", "--strict", "--config-file", "mkdocs-docs.yml", "--site-dir", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert (out / "editor-guide" / "index.html").is_file()
    assert "python -m builder generate" in (out / "editor-guide" / "index.html").read_text()
    assert not (out / "facts").exists() and not (out / "editing").exists()


def test_the_theme_templates_compile_once_across_environments_until_their_source_changes() -> None:
    from jinja2 import DictLoader, Environment

    from builder.plugin import TemplateCache

    cache = TemplateCache()
    sources = {"base.html": "<title>{{ title }}</title>{% block body %}{% endblock %}"}
    first = Environment(loader=DictLoader(sources), bytecode_cache=cache)
    assert first.get_template("base.html").render(title="A") == "<title>A</title>"
    assert cache.changed and len(cache.code) == 1
    stored = cache.remembered()
    again = TemplateCache()
    again.recall(stored)
    second = Environment(loader=DictLoader(sources), bytecode_cache=again)  # a new build's environment
    assert second.get_template("base.html").render(title="B") == "<title>B</title>"
    assert not again.changed  # the code came from the cache
    sources["base.html"] = "<h1>{{ title }}</h1>"
    third = Environment(loader=DictLoader(sources), bytecode_cache=again)
    assert third.get_template("base.html").render(title="C") == "<h1>C</h1>"
    assert again.changed and again.code != stored  # compiled again: the source changed
