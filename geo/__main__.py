"""The command line: ``python -m geo extract FILE...`` prints Story JSON; ``map`` and ``export`` write
the map and the data files (see docs/usage.md).

One function per subcommand; each only calls the library (:func:`geo.analyse` with the command's
:class:`~geo.pipeline.Options`). Bad input gets one clear line on stderr and a non-zero exit; the
other documents of the same call are still processed. Every error Dateline raises on purpose is a
:class:`~geo.errors.DatelineError`: caught here as that one root, it is one ``dateline: ...`` line
(its text from :mod:`geo.errors`' tables). The environment is read here and nowhere deeper:
$DATELINE_USER_AGENT is ``--user-agent``'s default, $GEONAMES_USERNAME the GeoNames account.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from geo.errors import CLI_MESSAGES, DatelineError, DocumentError, GeocoderError, user_message
from geo.model import Story, read_story
from geo.pipeline import Options, analyse
from geo.places.gazetteer import Gazetteer, describe, ensure_index
from geo.places.geocoders import GEONAMES_USERNAME_VARIABLE, SERVICE_NAMES, GeocoderSettings, geocoder_for
from geo.places.online import USER_AGENT_VARIABLE
from geo.read.document import read_document
from geo.read.records import jsonl_records, record_document

if TYPE_CHECKING:
    from geo.read.document import Document

# Named here so that the parser does not import pandas, folium or pyarrow (a cold `extract` pays for
# every import); tests check that they equal geo.render.export's FORMATS and CSV_TABLES and geo.batch's PART_DOCS
# and DOCUMENT_SECONDS.
EXPORT_FORMATS = ("geojson", "csv", "kml", "json")
CSV_TABLE_NAMES = ("places", "events", "legs", "claims")
PART_DOCS = 1000
DOCUMENT_SECONDS = 60.0

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def say(err: TextIO, message: str, **fields: Any) -> None:
    """One line on stderr: "dateline: " and the CLI's message ``message`` filled with ``fields``."""
    print("dateline: " + CLI_MESSAGES[message].format(**fields), file=err)


def extract(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print one Story per article: an object for one file, a list for several, JSON Lines for --jsonl."""
    if args.jsonl:
        return _extract_jsonl(args.jsonl, args, out, err)
    if not args.files:
        say(err, "extract_input")
        return EXIT_USAGE
    stories, failed = [], False
    for path in args.files:
        try:
            document = read_document(path, language=args.lang, published=args.published)
            stories.append(_analysed(document, _file_id(path), args, err).to_dict())
        except DatelineError as exc:
            say(err, "error", error=user_message(exc))
            failed = True
    if stories:
        json.dump(stories[0] if len(args.files) == 1 else stories, out, ensure_ascii=False, indent=args.indent)
        out.write("\n")
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _extract_jsonl(path: str, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    failed = False
    for number, record, problem in jsonl_records(path):
        where = f"{path}:{number}" if number else path
        try:
            if problem:
                raise DocumentError(problem)
            story_id = str(record.get("id") or f"line-{number}")
            story = _analysed(record_document(record, args.options, story_id), story_id, args, err)
        except DatelineError as exc:
            say(err, "record", where=where, error=user_message(exc))
            failed = True
            continue
        out.write(json.dumps(story.to_dict(), ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _file_id(path: str) -> str:
    return Path(path).name or path


def _analysed(document: Document, story_id: str, args: argparse.Namespace, err: TextIO) -> Story:
    """One article through :func:`geo.analyse` with the command's options (router, online geocoder,
    User-Agent); the Story's notes (an online service that failed) are said on stderr too."""
    story = analyse(document, args.options, story_id=story_id)
    for note in story.notes:
        say(err, "note", story=story_id, note=note)
    return story


def _options(args: argparse.Namespace) -> Options:
    """What the command asks the analysis for (a command without a flag gets its default)."""
    return Options(
        language=getattr(args, "lang", "auto"),
        published=getattr(args, "published", None),
        router=getattr(args, "router", None),
        geocoder=_geocoder_settings(args),
        user_agent=getattr(args, "user_agent", None),
    )


def _geocoder_settings(args: argparse.Namespace) -> GeocoderSettings | None:
    """The online geocoder the command asks for (None: offline); raises GeocoderError."""
    service = getattr(args, "geocoder", "offline")
    if service == "offline":
        if getattr(args, "geocoder_url", None):
            raise GeocoderError(CLI_MESSAGES["geocoder_url"])
        return None
    username = os.environ.get(GEONAMES_USERNAME_VARIABLE) if service == "geonames" else None
    return GeocoderSettings(service, url=args.geocoder_url, user_agent=args.user_agent, username=username)


def map_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the interactive map of an article (or of a Story JSON file) as one HTML file that opens
    and draws with no network: Leaflet, the plugins and the country outlines are inlined. Given a
    batch output (out.parquet), the corpus map: every place of every document, with counts."""
    if Path(args.file).is_dir():
        return _corpus_map(args, out, err)
    story = _story_of(args, err)
    if story is None:
        return EXIT_BAD_INPUT
    if not story.places:
        say(err, "no_place", file=args.file)
    from geo.render.storymap import standalone_html  # folium: imported when a map is asked for

    return _write(standalone_html(story).encode("utf-8"), args.output, out, err)


def _corpus_map(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from geo import batch
    from geo.render.corpusmap import corpus_html

    tables = batch.read(args.file, ("documents", "places"))
    if tables["places"].empty:
        say(err, "no_corpus_place", file=args.file)
    page = corpus_html(tables["places"], tables["documents"], title=Path(args.file).name)
    return _write(page.encode("utf-8"), args.output, out, err)


def batch_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Analyse a corpus into Parquet tables (documents, places, mentions, events, legs, claims), on
    local worker processes or a Dask cluster. A document that fails is a row with its error; running
    again with the same output skips the documents it already holds."""
    if (args.workers is not None and args.workers < 1) or args.part_size < 1:
        say(err, "at_least_one")
        return EXIT_USAGE
    if not args.time_limit > 0:  # also refuses nan
        say(err, "time_limit")
        return EXIT_USAGE
    if args.router:
        from geo.journeys.osrm import PUBLIC_OSRM_HOSTS, router_address

        try:
            host = urllib.parse.urlsplit(router_address(args.router)).hostname
        except DatelineError as exc:
            say(err, "error", error=exc)
            return EXIT_USAGE
        if host in PUBLIC_OSRM_HOSTS:
            say(err, "public_router", host=host)
            return EXIT_USAGE
    from geo import batch  # pyarrow and the process pools: imported when a batch is asked for

    summary = batch.run(
        args.inputs,
        args.output,
        options=args.options,
        workers=args.workers,
        dask=args.dask,
        part_docs=args.part_size,
        time_limit=None if args.time_limit == float("inf") else args.time_limit,
        progress=None if args.no_progress else err,
        warn=lambda message: say(err, "warning", warning=message),
    )
    say(err, "summary", summary=summary.line())
    return EXIT_OK


def export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write an article's places, events, legs and checked distances as GeoJSON, CSV, KML or Story JSON.
    CSV is a ZIP of four tables (places, events, legs, claims), or one table with --table."""
    if args.table and args.format != "csv":
        say(err, "table_format", format=args.format)
        return EXIT_USAGE
    if args.format == "csv" and not args.table and args.output in (None, "-"):
        say(err, "csv_output")
        return EXIT_USAGE
    story = _story_of(args, err)
    if story is None:
        return EXIT_BAD_INPUT
    from geo.render.export import csv_table
    from geo.render.export import export as export_story

    data = csv_table(story, args.table) if args.table else export_story(story, args.format)
    return _write(data, args.output, out, err)


def _story_of(args: argparse.Namespace, err: TextIO) -> Story | None:
    """The Story of FILE: read back from Story JSON (as ``extract`` prints it, or corrected in the
    dashboard), else analysed from the article. None, with a message, when it cannot be had."""
    try:
        if Path(args.file).suffix.lower() == ".json":
            return read_story(args.file)
        document = read_document(args.file, language=args.lang, published=args.published)
        return _analysed(document, _file_id(args.file), args, err)
    except DatelineError as exc:
        say(err, "error", error=user_message(exc))
        return None


def _write(data: bytes, output: str | None, out: TextIO, err: TextIO) -> int:
    if output in (None, "-"):
        out.write(data.decode("utf-8"))
        out.flush()
        return EXIT_OK
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        say(err, "cannot_write", path=output, reason=exc.strerror or exc)
        return EXIT_BAD_INPUT
    say(err, "wrote", path=output, kilobytes=len(data) / 1024)
    return EXIT_OK


def index(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build the offline gazetteer index (done on first use anyway), or check every page of the one
    there is and build it again if it is damaged, and print where it is."""
    try:
        path = ensure_index(rebuild=args.rebuild, thorough=True)
        print(describe(Gazetteer(path)), file=out)
    except DatelineError as exc:
        say(err, "error", error=user_message(exc))
        return EXIT_BAD_INPUT
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo", description="Dateline: an article's places and timeline, on a map."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ex = commands.add_parser("extract", help="print Story JSON for articles", description=extract.__doc__)
    ex.add_argument("files", nargs="*", metavar="FILE", help="article files: .txt, .md, .html")
    ex.add_argument(
        "--jsonl",
        metavar="INPUT.jsonl",
        help='one {"id", "text" or "html", "language"?, "published"?} per line ("-": stdin); prints one Story per line',
    )
    ex.add_argument("--lang", default="auto", help="auto (default), de, en, or another ISO 639-1 code")
    ex.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (wins over the article's own)")
    ex.add_argument(
        "--router",
        metavar="URL",
        help="an OSRM-compatible server for road and rail legs (opt-in; on failure, the offline "
        "networks and the geodesic, with a warning)",
    )
    _add_geocoder_arguments(ex)
    ex.add_argument("--indent", type=int, default=None, help="pretty-print JSON with this indent")
    ex.set_defaults(handler=extract)
    mp = commands.add_parser("map", help="write the map as a standalone HTML file", description=map_command.__doc__)
    _add_story_arguments(mp)
    mp.add_argument("-o", "--output", metavar="map.html", help="where to write the HTML (default: stdout)")
    mp.set_defaults(handler=map_command)
    xp = commands.add_parser("export", help="write GeoJSON, CSV, KML or Story JSON", description=export.__doc__)
    _add_story_arguments(xp)
    xp.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="the file format")
    xp.add_argument("--table", choices=CSV_TABLE_NAMES, help="csv only: write this one table instead of a ZIP")
    xp.add_argument("-o", "--output", metavar="OUT", help="where to write (default: stdout; csv needs a file)")
    xp.set_defaults(handler=export)
    bp = commands.add_parser(
        "batch", help="analyse many articles into Parquet tables", description=batch_command.__doc__
    )
    bp.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="article files, folders (searched for .txt .md .html .docx .pdf .jsonl), globs, and "
        'JSON Lines files with one {"id", "text" or "html", "published"?, "lang"?, "url"?} per line',
    )
    bp.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="out.parquet",
        help="the output folder of Parquet tables (made if missing; resumed if it holds a batch)",
    )
    bp.add_argument("--workers", type=int, metavar="N", help="worker processes (default: the number of cores)")
    bp.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on a dask.distributed scheduler at ADDRESS (tcp://host:8786), or 'local' for a "
        "LocalCluster of --workers processes",
    )
    bp.add_argument("--lang", default="auto", help="auto (default), de, en, or another ISO 639-1 code")
    bp.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="publication date (wins over the article's own; a record's \"published\" wins over it)",
    )
    bp.add_argument("--router", metavar="URL", help="an OSRM-compatible server for road and rail legs (opt-in)")
    bp.add_argument(
        "--part-size",
        type=int,
        default=PART_DOCS,
        metavar="N",
        help=f"documents per Parquet part (default {PART_DOCS:,}): at most what a killed run does again",
    )
    bp.add_argument(
        "--time-limit",
        type=float,
        default=DOCUMENT_SECONDS,
        metavar="SECONDS",
        help=f"a document that takes longer is an error row, and its worker is replaced (default "
        f"{DOCUMENT_SECONDS:g}; 'inf': no limit)",
    )
    bp.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    bp.set_defaults(handler=batch_command, user_agent=os.environ.get(USER_AGENT_VARIABLE))  # for --router
    ix = commands.add_parser("index", help="build the offline gazetteer index", description=index.__doc__)
    ix.add_argument("--rebuild", action="store_true", help="rebuild even if the index is current")
    ix.set_defaults(handler=index)
    return parser


def _add_story_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="FILE",
        help="an article (.txt, .md, .html), a Story JSON file (.json), or for map a batch output (out.parquet)",
    )
    parser.add_argument("--lang", default="auto", help="auto (default), de, en, or another ISO 639-1 code")
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (wins over the article's own)")
    parser.add_argument("--router", metavar="URL", help="an OSRM-compatible server for road and rail legs (opt-in)")
    _add_geocoder_arguments(parser)


def _add_geocoder_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--geocoder",
        default="offline",
        choices=SERVICE_NAMES,
        help="offline (default): the built-in GeoNames index only; nominatim, photon or geonames: "
        "also ask that online service for more candidates (cached on disk, rate-limited; "
        "on failure the offline index, with a note)",
    )
    parser.add_argument(
        "--geocoder-url", metavar="URL", help="the address of a self-hosted instance of the --geocoder service"
    )
    parser.add_argument(
        "--user-agent",
        metavar="TEXT",
        default=os.environ.get(USER_AGENT_VARIABLE),
        help=f"how the online geocoder and the router know you (Nominatim's public instance "
        f"requires it; default ${USER_AGENT_VARIABLE})",
    )


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code (tests call this in-process)."""
    out, err = out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        args.options = _options(args)
        online = geocoder_for(args.options.geocoder_settings())  # set up now: a bad choice is a usage error
    except DatelineError as exc:
        say(err, "error", error=exc)
        return EXIT_USAGE
    try:
        return args.handler(args, out, err)
    except DatelineError as exc:
        say(err, "error", error=user_message(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    finally:
        if online is not None:
            say(err, "counts", service=online.title, counts=online.counts)
        if getattr(args, "router", None) and args.command != "batch":  # a batch's routes are asked in its workers
            from geo.journeys.osrm import ROUTER_COUNTS

            if ROUTER_COUNTS.hits or ROUTER_COUNTS.misses:
                say(err, "router_counts", counts=ROUTER_COUNTS)


if __name__ == "__main__":
    sys.exit(main())
