"""Command line: python -m builder check | build | serve | generate | schema | stats | new | review."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from .problems import Level, count, format_problems, has_errors
from .settings import COPIES, DEFAULT_CONFIG, DEFAULT_PORT, ENGINES, SCAFFOLD_KINDS, default_site_dir

# Each command imports what it needs when it runs: the content model (pydantic) costs most of
# `check`'s start-up, and the build pipeline (MkDocs, Jinja2, Babel, matplotlib) far more.

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def date(text: str) -> dt.date:
    """An argument written YYYY-MM-DD (argparse names the type 'date' in its error)."""
    return dt.date.fromisoformat(text)


def site_url(text: str) -> str:
    """An argument that is an http(s) address, ending with '/' (argparse names the type 'site_url' in its error)."""
    from .model import URL_PATTERN

    if not re.match(URL_PATTERN, text):
        raise ValueError(text)
    return text if text.endswith("/") else text + "/"


def _parser() -> argparse.ArgumentParser:
    # The same commands run as `python -m builder` and as the console script `explainer`.
    prog = "python -m builder" if sys.argv[0].endswith("__main__.py") else Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(prog=prog, description="Build a sourced explainer from YAML content.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--content", type=Path, default=Path("content"), metavar="DIR", help="content folder (default: content)"
        )
        return sub

    check_cmd = command("check", "Validate all content and report every problem; exit 1 on errors.")
    check_cmd.add_argument(
        "--format", choices=("text", "github", "json"), default="text", help="output format (default: text)"
    )

    build_cmd = command("build", "Validate, render and build the site (MkDocs in strict mode, or Zensical).")
    build_cmd.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: beside the content folder, 'site' for 'content', 'site-NAME' for NAME)",
    )
    build_cmd.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="MkDocs configuration (default: mkdocs.yml if the current folder has one, else the builder's own)",
    )
    build_cmd.add_argument("--format", choices=("text", "github", "json"), default="text", help="problem format")
    build_cmd.add_argument(
        "--today", type=date, default=None, metavar="YYYY-MM-DD", help="build date for review and end dates"
    )
    build_cmd.add_argument(
        "--publish",
        action="store_true",
        help="a build to publish: also requires the site's absolute address (url in site.yaml)",
    )
    build_cmd.add_argument(
        "--url",
        type=site_url,
        default=None,
        metavar="URL",
        help="the address the site is published at, in place of url in site.yaml (e.g. set by CI)",
    )
    build_cmd.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="mkdocs: MkDocs with the explainer plugin (default); zensical: Zensical builds a generated project",
    )

    generate_cmd = command(
        "generate", "Write the explainer as a plain MkDocs project (pages, assets, nav, theme) any engine builds."
    )
    generate_cmd.add_argument("--out", type=Path, required=True, metavar="DIR", help="project folder to write")
    generate_cmd.add_argument(
        "--today", type=date, default=None, metavar="YYYY-MM-DD", help="build date for review and end dates"
    )
    generate_cmd.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="MkDocs configuration to take the theme and Markdown settings from (default: mkdocs.yml if the "
        "current folder has one, else the builder's own)",
    )
    generate_cmd.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="the engine that will build the project; its theme templates are copied in with content values escaped",
    )

    serve_cmd = command("serve", "Preview the site, rebuilding when content or templates change.")
    serve_cmd.add_argument(
        "--dev-addr",
        default=None,
        metavar="HOST:PORT",
        help=f"address (default: 127.0.0.1 and site.yaml's preview_port, else {DEFAULT_PORT})",
    )
    serve_cmd.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="MkDocs configuration (default: mkdocs.yml if the current folder has one, else the builder's own)",
    )
    serve_cmd.add_argument(
        "--today", type=date, default=None, metavar="YYYY-MM-DD", help="build date for review and end dates"
    )

    schema_cmd = command("schema", "Write the JSON Schemas editors' tools use, generated from the content model.")
    schema_cmd.add_argument(
        "--out", type=Path, default=Path("schemas"), metavar="DIR", help="output folder (default: schemas)"
    )

    stats_cmd = command("stats", "Count the content: facts, sources, questions, citations and more.")
    stats_cmd.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

    new_cmd = command("new", "Append a skeleton item with empty required fields to a content file.")
    new_cmd.add_argument("kind", choices=SCAFFOLD_KINDS, metavar="KIND", help=f"one of {', '.join(SCAFFOLD_KINDS)}")
    new_cmd.add_argument("id", metavar="ID", help="the new item's id: lower-case words joined by hyphens")
    new_cmd.add_argument(
        "--file", default=None, metavar="NAME", help="file in the kind's folder (default: the first alphabetically)"
    )

    review_cmd = command(
        "review", "List what editors should look at again; a report: exit 0, unless --fail-on finds its codes."
    )
    review_cmd.add_argument(
        "--fail-on",
        choices=("stale",),
        default=None,
        help="stale: exit 1 when a claim is past its review_by or end date (stale-claim, ended-claim)",
    )
    review_cmd.add_argument("--today", type=date, default=None, metavar="YYYY-MM-DD", help="date to review as of")
    review_cmd.add_argument(
        "--copies",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"stored plain-text copies of sources, <source-id>.txt (default: {COPIES}/ in the content folder)",
    )
    review_cmd.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    return parser


def config_file(given: Path | None) -> Path:
    """The MkDocs configuration: as given, else ./mkdocs.yml, else the builder's own default."""
    if given is not None:
        return given
    local = Path("mkdocs.yml")
    return local if local.is_file() else DEFAULT_CONFIG


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in ("check", "stats", "review"):
        from . import forked
        from .load import ParseCache
        from .markup import Prose
        from .validate import check, preread

        parsed, prose = ParseCache(), Prose()
        preread(args.content, parsed, prose, forked.workers())  # a large folder's files parsed on every core
        checked = check(args.content, cache=parsed, prose=prose)
    if args.command == "check":
        print(format_problems(checked.problems, checked.files, args.format))
        return EXIT_PROBLEMS if has_errors(checked.problems) else EXIT_OK
    if args.command == "stats":
        from .stats import stats

        if checked.content is None:
            print(format_problems(checked.problems, checked.files), file=sys.stderr)
            return EXIT_PROBLEMS
        counts = stats(checked.content)
        if args.format == "json":
            print(json.dumps(counts, indent=2))
        else:
            width = max(len(k) for k in counts)
            print("\n".join(f"{key.replace('_', ' '):<{width}}  {value}" for key, value in counts.items()))
        return EXIT_OK
    if args.command == "schema":
        from .schema import SchemaOutError, write_schemas

        try:
            written = write_schemas(args.out)
        except SchemaOutError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        for path in written:
            print(path)
        return EXIT_OK
    if args.command == "new":
        from .scaffold import new_item

        result = new_item(args.content, args.kind, args.id, args.file)
        print(result.message, file=sys.stdout if result.ok else sys.stderr)
        return EXIT_OK if result.ok else EXIT_PROBLEMS
    if args.command == "review":
        from .review import STALE_CODES, format_findings, review

        copies = args.copies if args.copies is not None else args.content / COPIES
        findings = review(checked, args.today or dt.date.today(), copies)
        print(format_findings(findings, count(checked.problems, Level.ERROR), args.format))
        if args.fail_on == "stale" and any(f.code in STALE_CODES for f in findings):
            return EXIT_PROBLEMS
        return EXIT_OK
    # The pipeline loads MkDocs, Jinja2, Babel and matplotlib: only the commands that build import it.
    if args.command == "build":
        from .build import build

        site_dir = args.site_dir if args.site_dir is not None else default_site_dir(args.content)
        return build(
            args.content,
            site_dir,
            config_file(args.config),
            args.format,
            args.engine,
            args.today,
            args.publish,
            args.url,
            ending=argv is None,  # this process's own command line: it ends with the build
        )
    if args.command == "generate":
        from .build import prepare
        from .generate import GenerateRefused, generate

        prepared = prepare(args.content, today=args.today)
        if prepared.checked.problems:
            print(prepared.report(), file=sys.stderr)
        if prepared.rendered is None:
            print(f"Not generated: fix the errors above. {args.out}/ was left unchanged.", file=sys.stderr)
            return EXIT_PROBLEMS
        try:
            written = generate(args.content, args.out, prepared, config_file(args.config), args.engine)
        except GenerateRefused as exc:
            print(f"Not generated: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"Wrote a MkDocs project of {len(written)} files into {args.out}/.", file=sys.stderr)
        return EXIT_OK
    if args.command == "serve":
        from .build import serve

        return serve(args.content, config_file(args.config), args.dev_addr, args.today)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
