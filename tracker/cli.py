"""The `tracker` command line. Each command parses options and calls one library function."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import ExitCode, TrackerError
from .settings import CrawlSettings

CRAWL_DEFAULTS = CrawlSettings()


def fail(subject: str, cause: str, code: int = ExitCode.ERROR) -> None:
    click.echo(f"Error: {subject}: {cause}", err=True)
    sys.exit(int(code))


def source_options(command):
    """--source and --base-url, shared by `crawl` and `update`."""
    command = click.option(
        "--base-url",
        "base_urls",
        multiple=True,
        metavar="[NAME=]URL",
        help="Point a source at a mirror, e.g. http://127.0.0.1:8000 (with one --source) "
        "or wayback=http://127.0.0.1:8001 (repeatable).",
    )(command)
    return click.option(
        "--source",
        "sources",
        multiple=True,
        type=click.Choice(["mine-action-review", "monitor", "wayback"]),
        help="Only this source (repeatable). Default: all.",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tracker")
def cli() -> None:
    """Track whether mine action recommendations are followed, across years.

    \b
    Crawl the publishers into a corpus, extract figures and recommendations,
    build a SQLite database with recommendation threads and statuses, and
    publish it with Datasette.

    \b
    Example (the whole path, offline, on the bundled sample site):
      tracker demo --no-serve
    Example (the real publishers):
      tracker crawl && tracker build && tracker serve
    """


def _http_url(ctx, param, value: str | None) -> str | None:
    from .sources import is_http_url

    if value is not None and not is_http_url(value):
        raise click.BadParameter(f"{value!r} is not an http(s) URL")
    return value


def document_options(command):
    """--url, --country, --series and --year: what a maintainer knows about a document
    (for extract they override detection; for add they are stored with it)."""
    for option in reversed(
        [
            click.option(
                "--url", callback=_http_url, help="The URL the document was published at."
            ),
            click.option("--country", help="Country name, alias or ISO code."),
            click.option("--series", type=click.Choice(["mar-cmr", "mar-mines", "monitor"])),
            click.option("--year", type=click.IntRange(1990, 2100), help="Edition year."),
        ]
    ):
        command = option(command)
    return command


# Datasette's port, for serve and demo
port_option = click.option(
    "--port",
    default=8001,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Datasette's port.",
)


@cli.command()
@source_options
@click.option(
    "--corpus",
    "corpus_dir",
    default="corpus",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Corpus directory.",
)
@click.option("--limit", type=int, help="Stop after this many requests.")
@click.option(
    "--delay",
    type=float,
    help=f"Seconds between two requests to the same host.  [default: {CRAWL_DEFAULTS.delay}]",
)
@click.option(
    "--concurrency",
    type=int,
    help=f"Requests in flight at once to one host.  [default: {CRAWL_DEFAULTS.concurrency}]",
)
@click.option(
    "--timeout",
    type=float,
    help=f"Seconds to wait for a server.  [default: {CRAWL_DEFAULTS.timeout}]",
)
@click.option("--strict", is_flag=True, help="Exit non-zero if any URL failed.")
def crawl(sources, base_urls, corpus_dir, limit, delay, concurrency, timeout, strict) -> None:
    """Fetch new and changed documents into the corpus.

    \b
    Obeys robots.txt, waits between requests to a host, sends conditional
    requests (ETag / Last-Modified), and stores every new version next to the
    old ones. Safe to interrupt: the next run resumes. Exit codes: 0 the run
    completed (failed URLs are listed), 1 error (or a failed URL with --strict),
    3 no source could be reached, 5 another crawl holds the corpus.

    \b
    Example:
      tracker crawl --source mine-action-review --limit 20
      tracker crawl --source mine-action-review --base-url http://127.0.0.1:8000
      tracker crawl --source mine-action-review --source wayback \\
          --base-url mine-action-review=http://127.0.0.1:8000 \\
          --base-url wayback=http://127.0.0.1:8000 --delay 0.2 --concurrency 4
    """
    from . import crawl as crawl_mod
    from .errors import SettingsError
    from .sources import load_sources, with_base_urls

    names = list(dict.fromkeys(sources)) or ["mine-action-review", "monitor", "wayback"]
    try:
        defs = with_base_urls(load_sources(), names, list(base_urls))
    except SettingsError as exc:
        fail("--base-url", str(exc), ExitCode.USAGE)
    given = {"limit": limit, "delay": delay, "concurrency": concurrency, "timeout": timeout}
    try:
        settings = CrawlSettings.from_dict({k: v for k, v in given.items() if v is not None})
    except SettingsError as exc:
        fail("crawl", str(exc), ExitCode.USAGE)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        report = crawl_mod.run(corpus_dir, defs, names, settings, progress=crawl_mod.print_progress)
    except TrackerError as exc:
        _end_progress_line()
        fail("crawl", str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _end_progress_line()
        fail("crawl", "interrupted; what was stored is kept, run again to resume", 130)
    finally:
        signal.signal(signal.SIGTERM, previous)
    _end_progress_line()
    for url, error in report.failures:
        click.echo(f"Error: {url}: {error}", err=True)
    click.echo(f"Crawled into {corpus_dir}: {report.summary()}")
    if strict and report.failures:
        fail("crawl", f"{len(report.failures)} URL(s) failed (--strict)")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _end_progress_line() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document per line.")
@document_options
def extract(paths, as_json, url, country, series, year) -> None:
    """Extract figures, recommendations and developments from local files.

    \b
    Reads HTML, PDF and plain text. Bad files are reported and skipped.

    \b
    Example:
      tracker extract report.pdf --json
      tracker extract page.html --country KHM --series mar-cmr --year 2018
    """
    from extractor.errors import ExtractionError
    from extractor.pipeline import extract_path

    failed = 0
    for path in paths:
        try:
            result = extract_path(path, url=url, country=country, series=series, year=year)
        except ExtractionError as exc:
            click.echo(f"Error: {path}: {exc}", err=True)
            failed += 1
            continue
        if as_json:
            click.echo(json.dumps(result.to_json(), ensure_ascii=False))
            continue
        meta = result.document
        click.echo(
            f"{path}: {meta.country or '?'} ({meta.country_code or '?'}), "
            f"{meta.series or '?'} {meta.report_year or '?'}, {meta.pages} page(s)"
        )
        for fig in result.figures:
            extra = f" {fig.criterion}" if fig.criterion else ""
            click.echo(
                f"  figure  {fig.metric}{extra} = {fig.value} {fig.unit} ({fig.year}) p.{fig.page}"
            )
        for rec in result.recommendations:
            click.echo(f"  recommendation {rec.position} [{', '.join(rec.topics)}] {rec.text}")
        for dev in result.developments:
            click.echo(f"  development {dev.event} ({dev.stage}, {dev.year}) p.{dev.page}")
    if failed:
        sys.exit(int(ExitCode.ERROR))


@cli.command()
@click.option(
    "--corpus", "corpus_dir", default="corpus", show_default=True, type=click.Path(file_okay=False)
)
@click.option("--db", "db_path", default="tracker.db", show_default=True, type=click.Path())
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Extract documents in parallel with this many processes.",
)
def build(corpus_dir, db_path, workers) -> None:
    """(Re)build the database from the corpus, incrementally and atomically.

    \b
    Extraction is cached per document; the new database replaces the old one
    only when it is complete.

    \b
    Example:
      tracker build --corpus corpus --db tracker.db --workers 2
    """
    from .build import build as build_db

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rExtracting: {done}/{total} documents")
        sys.stderr.flush()

    try:
        report = build_db(
            corpus_dir, db_path, workers=workers, progress=progress if sys.stderr.isatty() else None
        )
    except TrackerError as exc:
        fail("build", str(exc), exc.exit_code)
    if sys.stderr.isatty() and report.extracted:
        sys.stderr.write("\n")
    for url, error in [*report.unreadable, *report.failed]:
        click.echo(f"Error: {url}: {error}", err=True)
    if report.cache_error:
        click.echo(f"Warning: {report.cache_error}; built without it", err=True)
    state = "written" if report.replaced else "unchanged"
    click.echo(f"Built {db_path} ({state}): {report.summary()}")
    click.echo(f"The build {report.timing()}.")


@cli.command()
@click.option("--db", "db_path", default="tracker.db", show_default=True, type=click.Path())
@click.option("--host", default="127.0.0.1", show_default=True)
@port_option
def serve(db_path, host, port) -> None:
    """Publish the database with Datasette (read-only, immutable, with metadata.yml).

    \b
    Example:
      tracker serve --db tracker.db --port 8001
    """
    from . import serve as serve_mod

    problem = serve_mod.check_database(db_path)
    if problem:
        fail(db_path, problem)
    click.echo(f"Serving {db_path} at http://{host}:{port}/")
    sys.exit(serve_mod.serve(db_path, host, port))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--corpus", "corpus_dir", default="corpus", show_default=True, type=click.Path(file_okay=False)
)
@document_options
def add(paths, corpus_dir, url, country, series, year) -> None:
    """Put local files (a PDF received by email) into the corpus.

    \b
    Each file gets the same sidecar the crawler writes, so `tracker build`
    uses it like a crawled document.

    \b
    Example:
      tracker add Cambodia_Clearing_the_Mines_2023.pdf --country KHM --series mar-mines --year 2023
    """
    from .local import add_files

    added, errors = add_files(paths, corpus_dir, url=url, country=country, series=series, year=year)
    for path, error in errors:
        click.echo(f"Error: {path}: {error}", err=True)
    for path, stored, created in added:
        click.echo(f"{'added' if created else 'already in corpus'}: {path} -> {stored}")
    if errors:
        sys.exit(int(ExitCode.ERROR))


@cli.command()
@click.argument("country")
@click.option("--db", "db_path", default="tracker.db", show_default=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the threads as JSON.")
def status(country, db_path, as_json) -> None:
    """A country's recommendation threads: topic, first asked, times repeated, status.

    \b
    COUNTRY is a name, alias or ISO code.

    \b
    Example:
      tracker status Cambodia
      tracker status KHM --json
    """
    from .report import NotATrackerDatabase, country_threads, format_threads

    if not Path(db_path).exists():
        fail(db_path, "database not found (run `tracker build` first)")
    try:
        threads = country_threads(db_path, country)
    except NotATrackerDatabase as exc:
        fail(db_path, str(exc))
    except LookupError as exc:
        fail(country, str(exc))
    if as_json:
        click.echo(json.dumps(threads, indent=2, ensure_ascii=False))
    else:
        click.echo(format_threads(threads))


@cli.command()
@source_options
@click.option(
    "--corpus", "corpus_dir", default="corpus", show_default=True, type=click.Path(file_okay=False)
)
@click.option("--db", "db_path", default="tracker.db", show_default=True, type=click.Path())
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--delay",
    type=float,
    default=1.0,
    show_default=True,
    help="Seconds between two requests to the same host.",
)
@click.option(
    "--notify",
    metavar="URL",
    callback=_http_url,
    help="POST the JSON change report to this webhook.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the change report as JSON.")
def update(sources, base_urls, corpus_dir, db_path, workers, delay, notify, as_json) -> None:
    """Crawl, rebuild, and report what changed since the previous update.

    \b
    Safe to run from cron, a systemd timer or a CI schedule: a lock keeps two
    updates apart, every run is logged in update_runs, and the database is only
    replaced by a complete new one.

    \b
    Exit codes: 0 done (with or without changes), 1 failed (the corpus could not be read
    or written), 3 could not reach any source, 4 build failed (the previous database is
    still serving), 5 another update is running.

    \b
    Example:
      tracker update --json --notify https://hooks.example.org/mine-action
    """
    from .errors import SettingsError
    from .settings import CrawlSettings
    from .sources import load_sources, with_base_urls
    from .update import format_report, run_update

    names = list(sources) or ["mine-action-review", "monitor", "wayback"]
    try:
        defs = with_base_urls(load_sources(), names, list(base_urls))
    except SettingsError as exc:
        fail("--base-url", str(exc), ExitCode.USAGE)
    report = run_update(
        corpus_dir, db_path, defs, names, CrawlSettings(delay=delay), workers=workers, notify=notify
    )
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report))
    if report.exit_code:
        click.echo(f"Error: update: {report.error}", err=True)
    sys.exit(report.exit_code)


@cli.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--documents",
    "documents_root",
    type=click.Path(exists=True, file_okay=False),
    help="Folder the gold files' `file:` paths are relative to (default: ../shared "
    "beside the repository).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--no-misses", is_flag=True, help="Do not list the misses.")
def eval_command(gold_dir, documents_root, as_json, no_misses) -> None:
    """Score extraction against hand-labelled gold files.

    \b
    Prints precision, recall and F1 for figures, recommendations, topics and
    developments, metadata accuracy, and every miss. Gold format: tests/gold/README.md.

    \b
    Example:
      tracker eval tests/gold --documents ../shared
    """
    from .evaluate import evaluate, format_report

    root = Path(documents_root) if documents_root else _default_documents_root()
    report = evaluate(gold_dir, root)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(format_report(report, show_misses=not no_misses))
    if report.documents == 0:
        fail(gold_dir, f"no gold file could be scored (documents looked up in {root})")


def _default_documents_root() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (Path.cwd().parent / "shared", here.parent / "shared", Path.cwd()):
        if (candidate / "corpus").is_dir():
            return candidate
    return here.parent / "shared"


@cli.command()
@click.option(
    "--dir",
    "workdir",
    default="demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where the demo corpus and tracker.db go.",
)
@click.option("--no-serve", is_flag=True, help="Stop after the build and print what was built.")
@port_option
def demo(workdir, no_serve, port) -> None:
    """Run the whole pipeline on the bundled sample site, offline.

    \b
    Serves the sample publisher site on 127.0.0.1 (a free port), crawls it
    (pages, PDFs and a fake Internet Archive history) into a fresh corpus,
    builds tracker.db and serves it with Datasette.

    \b
    Example:
      tracker demo --no-serve
      tracker demo --port 8001
    """
    from . import demo as demo_mod
    from . import serve as serve_mod
    from .sample_site.server import SampleSite

    target = Path(workdir)
    if (target / "corpus").exists() and any((target / "corpus").iterdir()):
        fail(workdir, "already holds a demo corpus; remove it or choose another --dir")
    if (target / "tracker.db").exists():  # perhaps a real one: the demo never replaces it
        fail(workdir, "already holds a tracker.db; remove it or choose another --dir")
    with SampleSite() as site:
        click.echo(f"Sample site (sample data, not real reports): {site.url}/")
        try:
            result = demo_mod.run(target, site.url)
        except TrackerError as exc:
            fail("demo", str(exc), exc.exit_code)
        counts = result.build.counts
        click.echo(f"Corpus: {result.corpus_dir} ({result.crawl.summary()})")
        click.echo(
            f"Built {result.db_path}: {counts.get('documents', 0)} documents, "
            f"{counts.get('figures', 0)} figures, {counts.get('recommendations', 0)} "
            f"recommendations, {counts.get('developments', 0)} developments, "
            f"{counts.get('threads', 0)} threads"
        )
        if no_serve:
            return
        # a SIGTERM (from a supervisor or a test) must stop Datasette too
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        proc = serve_mod.start(result.db_path, "127.0.0.1", port)
        click.echo(f"Datasette: http://127.0.0.1:{port}/")
        click.echo(
            f"  recommendation status: http://127.0.0.1:{port}/tracker/recommendation_status"
        )
        click.echo(f"  figures: http://127.0.0.1:{port}/tracker/figures_cited")
        click.echo("Press Ctrl-C to stop.")
        try:
            while proc.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
