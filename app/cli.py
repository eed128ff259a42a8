"""The `itsm-ontology` command line: validate, load, serve, mcp, export, heatmap, openapi, cypher, query,
import, overlay."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.adhoc.models import CypherResult
from app.adhoc.runner import AdhocRunner, Limits
from app.adhoc.saved import SavedQueries, SavedQuery, SavedQueryError
from app.adhoc.values import to_csv
from app.errors import NotFound, QueryRefused, QueryTimeout, ServiceError, StoreUnavailable
from app.graph.embedded import EmbeddedStartError
from app.graph.lifecycle import open_store
from app.logs import LogFormat, log_config
from app.overlay import cli as overlay_cli
from app.services.export import export_graph
from app.settings import Settings, get_settings
from seed.fingerprint import files_fingerprint, remember, remembered
from seed.guard import EXIT_CODES, LogWatch, check_space, disk_full_logged, exclusive_load, explain
from seed.importers.assemble import read_all
from seed.load import load as load_ontology
from seed.load import plan_load, unchanged_release
from seed.model import Ontology, clip
from seed.plan import Plan
from seed.schema import load_schema
from seed.validate import OntologyInvalid

app = typer.Typer(help="itsm-ontology: the ITIL 4 / Zero Outage / SFIA ontology service.", no_args_is_help=True)
console = Console(stderr=True)


@app.callback()
def _quiet_driver() -> None:
    """The driver's retry warnings would break up progress bars and tables; the command reports a
    store that stays unreachable itself. `serve` logs them (see _log_config)."""
    logging.getLogger("neo4j").setLevel(logging.ERROR)


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _read(settings: Settings) -> Ontology:
    """The curated ontology and the organisations registered in ITSM_ORGANISATIONS_DIR."""
    try:
        limits = settings.load_limits
        return read_all(settings.ontology_dir, settings.organisations_path, limits)
    except OntologyInvalid as exc:
        for problem in exc.problems:
            console.print(f"[red]error[/red] {problem}", highlight=False, soft_wrap=True)
        console.print(f"[red]{len(exc.problems)} problem(s); nothing was loaded.[/red]")
        raise typer.Exit(1) from exc


def _print_plan(plan: Plan) -> None:
    table = Table(title="Load plan", show_edge=False)
    for column in ("", "create", "update", "delete", "unchanged"):
        table.add_column(column, justify="right" if column else "left")
    for kind, counts in plan.summary().items():
        table.add_row(kind, *(str(counts[k]) for k in ("create", "update", "delete", "unchanged")))
    console.print(table)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _print_changes(changes: list[Any], shown: int = 40) -> None:
    """The diff of a dry run or of `diff`: counts, then one line per change (the first `shown`)."""
    from app.interop.diff import summarize

    summary = summarize(changes)
    table = Table(title="Changes", show_edge=False)
    for column in ("", "added", "removed", "changed"):
        table.add_column(column, justify="right" if column else "left")
    for kind, counts in (("nodes", summary.nodes), ("relationships", summary.relationships)):
        table.add_row(kind, str(counts.added), str(counts.removed), str(counts.changed))
    console.print(table)
    for change in changes[:shown]:
        what = change.label if change.entity == "node" else change.type
        line = f"  {change.change:<7} {change.entity} {change.id} ({what})"
        details = "; ".join(f"{p.name}: {_short(p.before)} -> {_short(p.after)}" for p in change.properties)
        console.print(line + (f": {details}" if details else ""), highlight=False, soft_wrap=True)
    if len(changes) > shown:
        console.print(f"  ... and {len(changes) - shown} more (`itsm-ontology diff A B --format json` lists all)")


@app.command()
def validate() -> None:
    """Validate the ontology files against ontology/schema.yaml; print counts per label and type."""
    ontology = _read(_settings())
    counts = Counter(n.label for n in ontology.nodes.values()) + Counter(
        r.type for r in ontology.relationships.values()
    )
    for name, count in sorted(counts.items()):
        console.print(f"  {name:<22} {count:>6}")
    console.print(
        f"[green]valid[/green]: {len(ontology.nodes)} nodes, {len(ontology.relationships)} relationships, "
        f"version {ontology.version}, hash {ontology.content_hash[:12]}"
    )


def _valid(settings: Settings) -> Ontology:
    ontology = _read(settings)
    console.print(f"ontology valid: {len(ontology.nodes)} nodes, {len(ontology.relationships)} relationships")
    return ontology


def _up_to_date(release: dict[str, Any], started: float) -> None:
    console.print(
        f"already up to date: release {release.get('version')} ({str(release.get('content_hash'))[:12]}), "
        f"{release.get('nodes')} nodes and {release.get('relationships')} relationships; the files are "
        f"byte for byte those it was loaded from, so they were not validated again "
        f"(`load --force` validates and records a new release) [{time.monotonic() - started:.1f}s]",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def load(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and show the plan; write nothing.")] = False,
    force: Annotated[bool, typer.Option(help="Record a new release even when nothing changed.")] = False,
) -> None:
    """Validate the ontology, then load it into the configured store (idempotent).

    Exit status: 1 invalid ontology, 2 configuration, 3 store unavailable or failed, 7 disk full,
    8 read-only data directory, 9 in use (another load, or another process holds the database)."""
    settings = _settings()
    started = time.monotonic()
    where = settings.loads_into
    limits = settings.load_limits
    fingerprint = files_fingerprint(settings.ontology_dir, settings.organisations_path, limits)
    # Files unchanged since the last load into this store: ask the store before validating again
    # (seed/fingerprint.py). Anything else is validated before a store starts, as always.
    unchanged: dict[str, Any] | None = None
    shortcut = not dry_run and not force and remembered(*where) == fingerprint
    ontology = None if shortcut else _valid(settings)
    embedded = settings.store == "embedded"
    watch = LogWatch(settings.data_dir) if embedded else None
    try:
        if embedded:
            check_space(settings.data_dir, 0)  # not even room for the store's log: do not start it
        with exclusive_load(settings.data_dir), open_store(settings) as store:
            if store.started_in_s is not None:
                console.print(f"embedded ArcadeDB started in {store.started_in_s:.1f}s")
            if shortcut:
                unchanged = unchanged_release(store, fingerprint)
                if unchanged is not None:
                    return _up_to_date(unchanged, started)
                ontology = _valid(settings)  # the store holds something else: validate after all
            assert ontology is not None
            if dry_run:
                from app.services.releases import pending_changes

                _print_plan(plan_load(store, ontology))
                _print_changes(pending_changes(store, ontology))
                console.print("dry run: nothing written")
                return
            with Progress(
                TextColumn("{task.description:<36}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            ) as progress:
                task = progress.add_task("planning", total=None)

                def on_plan(plan: Plan) -> None:
                    if embedded:
                        check_space(settings.data_dir, plan.writes)  # refuse before writing, not half-way
                    progress.update(task, description="writing", total=max(plan.writes, 1))

                def tick(what: str, count: int) -> None:
                    progress.update(task, description=what, advance=count)

                report = load_ontology(
                    store,
                    ontology,
                    fingerprint=fingerprint,
                    batch_size=settings.load_batch_size,
                    force=force,
                    on_plan=on_plan,
                    progress=tick,
                )
                progress.update(task, description="done", completed=progress.tasks[0].total)
        if watch is not None and (full := disk_full_logged(watch)) is not None:
            raise full  # committed to the store's log, but its pages could not all be written
    except typer.Exit:
        raise  # an invalid ontology found after the store started: its problems are printed
    except Exception as exc:
        fault = explain(exc, settings.data_dir, watch)
        if fault is not None:
            console.print(f"[red]{fault.message}[/red]", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_CODES[fault.kind]) from exc
        logging.getLogger("itsm_ontology.load").debug("load failed", exc_info=True)
        why = "store unavailable" if isinstance(exc, (ServiceError, EmbeddedStartError)) else "load failed"
        console.print(f"[red]{why}:[/red] {clip(str(exc) or type(exc).__name__, 400)}", highlight=False, soft_wrap=True)
        raise typer.Exit(3) from exc
    remember(*where, fingerprint)
    _print_plan(report.plan)
    release = report.release or {}
    if report.up_to_date:
        console.print(f"already up to date: release {release.get('version')} ({str(release.get('content_hash'))[:12]})")
    else:
        console.print(
            f"[green]loaded[/green] release {release['version']} ({release['content_hash'][:12]}): "
            f"{release['nodes']} nodes, {release['relationships']} relationships in {time.monotonic() - started:.1f}s"
        )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    load: Annotated[
        bool, typer.Option("--load", help="Validate and load the ontology first, unless the store already holds it.")
    ] = False,
) -> None:
    """Serve the JSON API (starts the embedded store unless ITSM_STORE=neo4j)."""
    import os

    import uvicorn

    if load:  # read by create_app's settings: the service loads on the store it starts itself
        os.environ["ITSM_LOAD_ON_START"] = "true"
        get_settings.cache_clear()
    unsafe = _settings().unsafe_setup(host=host)
    if unsafe:
        for reason in unsafe:
            console.print(f"[red]refusing to serve:[/red] {reason}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    log_config = _log_config(_settings().log_format)
    # access_log=False: the service writes its own access line, with the request id (app/api/observe.py).
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="info",
        log_config=log_config,
        access_log=False,
    )


@app.command()
def mcp() -> None:
    """Serve the ontology to an AI assistant over MCP on stdin/stdout (docs/mcp.md).

    Starts (or attaches to) the store as `serve` does; logs and the audit lines go to stderr.
    """
    from app.mcp.stdio import serve_stdio

    settings = _settings()
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    audit = logging.getLogger("itsm_ontology.audit")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    audit.addHandler(handler)
    audit.setLevel(logging.INFO)
    audit.propagate = False
    logging.getLogger("itsm_ontology").setLevel(logging.INFO)
    try:
        serve_stdio(settings)
    except (StoreUnavailable, EmbeddedStartError) as exc:
        console.print(f"[red]store unavailable:[/red] {exc}")
        raise typer.Exit(3) from exc
    except SavedQueryError as exc:
        console.print(f"[red]saved queries:[/red] {exc}")
        raise typer.Exit(1) from exc


def _log_config(log_format: LogFormat = "text") -> dict[str, Any]:
    """Uvicorn's logging, plus the service's own lines (with request ids), the access line of every
    request and the ad-hoc Cypher audit log; text or JSON lines (app/logs.py)."""
    return log_config(log_format)


@app.command()
def export(
    format: Annotated[
        str, typer.Option("--format", help="json, jsonld, turtle, graphml, csv (a zip) or sssom.")
    ] = "json",
    source: Annotated[
        str | None, typer.Option("--source", help="Only what one document states (key, file or 3-digit prefix).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; stdout when omitted.")] = None,
) -> None:
    """Export the whole graph (or one document's part) in a standard format (docs/interop.md)."""
    from app.interop.formats import FORMATS
    from app.services.export import render

    fmt = FORMATS.get(format)
    if fmt is None:
        console.print(f"[red]unsupported format {format!r}[/red]; use one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    settings = _settings()
    schema = load_schema(settings.ontology_dir / "schema.yaml")
    source_file = schema.document_file(source) if source else None
    if source and source_file is None:
        console.print(f"[red]unknown source {source!r}[/red]; use one of {', '.join(schema.documents)}")
        raise typer.Exit(2)
    try:
        with open_store(settings) as store:
            document = export_graph(store)
    except (StoreUnavailable, EmbeddedStartError) as exc:
        console.print(f"[red]store unavailable:[/red] {exc}")
        raise typer.Exit(3) from exc
    try:
        chunks = render(document, fmt, schema, base_iri=settings.base_iri, source_file=source_file)
        out = output.open("wb") if output else sys.stdout.buffer
        try:
            for chunk in chunks:
                out.write(chunk)
            if fmt.name == "json" and not output:
                out.write(b"\n")
        finally:
            if output:
                out.close()
            else:
                out.flush()
    except ServiceError as exc:
        console.print(f"[red]{exc.title}[/red]: {exc.message}", highlight=False)
        raise typer.Exit(1) from exc
    if output:
        console.print(
            f"wrote {len(document.nodes)} nodes, {len(document.relationships)} relationships as {fmt.name} to {output}"
            + (f" (before the {source} filter)" if source else "")
        )


@app.command()
def vocabulary(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; stdout when omitted.")] = None,
) -> None:
    """Print the OWL/RDFS vocabulary of the RDF exports (from ontology/schema.yaml; no store needed)."""
    from app.services.export import vocabulary_turtle

    settings = _settings()
    data = vocabulary_turtle(load_schema(settings.ontology_dir / "schema.yaml"), settings.base_iri)
    if output:
        output.write_bytes(data)
        console.print(f"wrote {output}")
    else:
        sys.stdout.buffer.write(data)


@app.command()
def diff(
    a: Annotated[str, typer.Argument(help="The earlier release: id, version or `latest`.")],
    b: Annotated[str, typer.Argument(help="The later release: id, version or `latest`.")] = "latest",
    format: Annotated[str, typer.Option("--format", help="table or json (every change, all properties).")] = "table",
) -> None:
    """What changed from release A to release B: nodes and relationships added, removed, changed."""
    from app.paging import Page
    from app.services.releases import diff_releases

    if format not in ("table", "json"):
        console.print(f"[red]unsupported format {format!r}[/red]; use table or json")
        raise typer.Exit(2)
    settings = _settings()
    try:
        with open_store(settings) as store:
            result = diff_releases(store, a, b, Page(0, sys.maxsize, None))
    except (StoreUnavailable, EmbeddedStartError) as exc:
        console.print(f"[red]store unavailable:[/red] {exc}")
        raise typer.Exit(3) from exc
    except ServiceError as exc:
        console.print(f"[red]{exc.title}[/red]: {exc.message}", highlight=False)
        raise typer.Exit(2) from exc
    if format == "json":
        sys.stdout.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
        return
    before, after = result.from_release, result.to_release
    console.print(
        f"{before.version if before else 'empty'} ({before.id if before else '-'}) -> {after.version} ({after.id})",
        highlight=False,
    )
    _print_changes(result.items)


@app.command()
def openapi(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; stdout when omitted.")] = None,
) -> None:
    """Print the API's OpenAPI document (no store needed); docs/openapi.json is this output."""
    from app.main import create_app

    text = json.dumps(create_app(_settings()).openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")
    else:
        sys.stdout.write(text)


@app.command()
def heatmap(
    output: Annotated[Path, typer.Option("--output", "-o", help="SVG file to write.")] = Path("heatmap.svg"),
    value_chain: Annotated[str, typer.Option(help="Value chain id.")] = "value-chain:itil",
) -> None:
    """Draw practice x activity contribution levels as an SVG heat map (only levels the texts give)."""
    from app.services.heatmap import heatmap_svg

    settings = _settings()
    try:
        with open_store(settings) as store:
            svg = heatmap_svg(store, value_chain)
    except NotFound as exc:
        console.print(f"[red]no value chain {value_chain!r}[/red]")
        raise typer.Exit(2) from exc
    except (StoreUnavailable, EmbeddedStartError) as exc:
        console.print(f"[red]store unavailable:[/red] {exc}")
        raise typer.Exit(3) from exc
    output.write_text(svg, encoding="utf-8")
    console.print(f"wrote {output}")


# --- analysts' Cypher -------------------------------------------------------------------------

ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A parameter as NAME=VALUE (repeat). See each command for how values are read."),
]
FormatOption = Annotated[
    str | None, typer.Option("--format", "-f", help="table, json or csv (default: table in a terminal, else json).")
]
LimitOption = Annotated[int | None, typer.Option("--limit", help="Rows to return at most (capped by the server).")]
EXIT_REFUSED, EXIT_QUERY_ERROR, EXIT_TIMEOUT = 4, 5, 6


def _split_params(raw: list[str] | None) -> dict[str, str]:
    params = {}
    for item in raw or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            console.print(f"[red]--param {item!r}[/red]: write NAME=VALUE")
            raise typer.Exit(2)
        params[name.strip()] = value
    return params


def _json_value(text: str) -> Any:
    """An ad-hoc parameter: JSON when it parses as JSON (3, true, [1,2], "x"), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict) and "labels" in value and "id" in value:
        return f"({':'.join(['', *value['labels']])} {value['id']})"
    if isinstance(value, dict) and {"type", "start", "end"} <= set(value):
        return f"({value['start']})-[:{value['type']}]->({value['end']})"
    if isinstance(value, str | int | float | bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _print_result(result: CypherResult, fmt: str | None) -> None:
    fmt = fmt or ("table" if sys.stdout.isatty() else "json")
    if fmt == "json":
        sys.stdout.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.write(to_csv(result.columns, result.rows))
    else:
        table = Table(show_edge=False, header_style="bold")
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for row in result.rows:
            table.add_row(*(_cell(v) for v in row))
        Console().print(table)
    note = f"{len(result.rows)} row(s) in {result.elapsed_ms:.0f} ms"
    if result.truncated:
        note += f" [yellow](truncated by the {result.truncated_by} limit; --limit {result.limit} applied)[/yellow]"
    console.print(note)


def _run_read_only(
    query: str,
    params: dict[str, Any],
    limit: int | None,
    fmt: str | None,
    saved: str | None,
    declared: SavedQuery | None = None,
) -> None:
    if fmt not in (None, "table", "json", "csv"):
        console.print(f"[red]unsupported format {fmt!r}[/red]; use table, json or csv")
        raise typer.Exit(2)
    settings = _settings()
    try:
        with open_store(settings) as store:
            runner = AdhocRunner(store, Limits.from_settings(settings))
            if declared is not None:  # its `id` parameters must name nodes, as on the API (404 there)
                runner.check_ids(declared, params)
            result = runner.run(query, params, limit=limit, who="cli", saved=saved)
    except (StoreUnavailable, EmbeddedStartError) as exc:
        console.print(f"[red]store unavailable:[/red] {exc}")
        raise typer.Exit(3) from exc
    except QueryTimeout as exc:
        console.print(f"[red]timed out[/red]: {exc}")
        raise typer.Exit(EXIT_TIMEOUT) from exc
    except ServiceError as exc:
        extra = ", ".join(f"{k} {v}" for k, v in exc.extra.items())
        console.print(f"[red]{exc.title}[/red]: {exc.message}" + (f" ({extra})" if extra else ""), highlight=False)
        raise typer.Exit(EXIT_REFUSED if isinstance(exc, QueryRefused) else EXIT_QUERY_ERROR) from exc
    _print_result(result, fmt)


@app.command()
def cypher(
    query: Annotated[str, typer.Argument(help="One read-only Cypher statement.")],
    param: ParamOption = None,
    format: FormatOption = None,
    limit: LimitOption = None,
) -> None:
    """Run one read-only Cypher query (as the API's POST /v1/cypher does).

    --param values are read as JSON when they parse (3, true, [1,2], "007"), else as text.
    Exit status: 4 refused, 5 syntax or query error, 6 timed out, 3 store unavailable.
    """
    params = {k: _json_value(v) for k, v in _split_params(param).items()}
    _run_read_only(query, params, limit, format, None)


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="A saved query (cypher/saved/NAME); omit to list them.")] = None,
    param: ParamOption = None,
    format: FormatOption = None,
    limit: LimitOption = None,
) -> None:
    """Run a saved, parameterised query, or list them all with their parameters.

    --param values are converted to the type the query declares (lists: comma-separated).
    """
    settings = _settings()
    try:
        saved = SavedQueries(settings.cypher_dir / "saved")
    except SavedQueryError as exc:
        console.print(f"[red]saved queries:[/red] {exc}")
        raise typer.Exit(1) from exc
    if name is None:
        for item in saved:
            console.print(f"[bold]{item.name}[/bold]  {item.description}", highlight=False)
            for p in item.parameters:
                default = "required" if p.required else f"default {json.dumps(p.default)}"
                console.print(f"    --param {p.name}=<{p.type}>  {p.description} ({default})", highlight=False)
        return
    chosen = saved.get(name)
    if chosen is None:
        console.print(f"[red]no saved query {name!r}[/red]; run `itsm-ontology query` to list them")
        raise typer.Exit(2)
    try:
        params = chosen.bind_text(_split_params(param))
    except SavedQueryError as exc:
        console.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from exc
    _run_read_only(chosen.text, params, limit, format, name, chosen)


# --- organisations' own roles (app/overlay/cli.py, docs/overlay.md) -----------------------------
app.command("import")(overlay_cli.import_file)
app.add_typer(overlay_cli.app, name="overlay")


if __name__ == "__main__":
    app()
