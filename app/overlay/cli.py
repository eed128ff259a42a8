"""`itsm-ontology import FILE --source NAME` and the `itsm-ontology overlay ...` answers.

Exit status: 1 the files have problems (nothing imported or loaded), 2 bad arguments or unknown
id, 3 store unavailable.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.errors import NotFound, ServiceError, StoreUnavailable
from app.graph.embedded import EmbeddedStartError
from app.graph.lifecycle import open_store
from app.graph.store import GraphStore
from app.settings import Settings, get_settings
from seed.importers import registry
from seed.importers.assemble import stage_import
from seed.load import load
from seed.model import Ontology
from seed.plan import Plan
from seed.validate import OntologyInvalid

console = Console(stderr=True)
app = typer.Typer(help="Answers about organisations' own roles (docs/overlay.md).", no_args_is_help=True)
M = TypeVar("M", bound=BaseModel)
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table or json.")]


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _problems(exc: OntologyInvalid, what: str) -> typer.Exit:
    for problem in exc.problems:
        console.print(f"[red]error[/red] {problem}", highlight=False, soft_wrap=True)
    console.print(f"[red]{len(exc.problems)} problem(s); {what}[/red]")
    return typer.Exit(1)


@contextmanager
def _store(settings: Settings) -> Iterator[GraphStore]:
    try:
        with open_store(settings) as store:
            yield store
    except NotFound as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    except (StoreUnavailable, EmbeddedStartError) as exc:
        console.print(f"[red]store unavailable:[/red] {exc}")
        raise typer.Exit(3) from exc
    except ServiceError as exc:
        console.print(f"[red]{exc.title}:[/red] {exc.message}", highlight=False)
        raise typer.Exit(2) from exc


def _load(store: GraphStore, ontology: Ontology, settings: Settings) -> dict[str, Any]:
    with Progress(
        TextColumn("{task.description:<36}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("planning", total=None)

        def on_plan(plan: Plan) -> None:
            progress.update(task, description="writing", total=max(plan.writes, 1))

        def tick(what: str, count: int) -> None:
            progress.update(task, description=what, advance=count)

        report = load(store, ontology, batch_size=settings.load_batch_size, on_plan=on_plan, progress=tick)
        progress.update(task, description="done", completed=progress.tasks[0].total)
    return report.release or {}


def import_file(
    file: Annotated[Path, typer.Argument(help="A role catalogue, skill inventory or mappings file (.csv, .yaml).")],
    source: Annotated[str, typer.Option("--source", "-s", help="The organisation source, e.g. acme.")],
    title: Annotated[str | None, typer.Option(help="The organisation's name (kept in source.yaml).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and count; write and load nothing.")] = False,
) -> None:
    """Import an organisation's role catalogue, skill inventory or accepted mappings.

    The file is validated with everything the source already holds; on any problem, one line per
    problem and nothing changes. Otherwise the whole ontology is loaded (one transaction, a new
    release) and the file is registered in the organisations folder (ITSM_ORGANISATIONS_DIR), so
    `itsm-ontology load` keeps it. Import the role catalogue before the files that name its roles.
    """
    settings = _settings()
    if not file.is_file():
        console.print(f"[red]no file {str(file)!r}[/red]")
        raise typer.Exit(2)
    try:
        ontology = stage_import(settings.ontology_dir, settings.organisations_path, source, file, title)
    except OntologyInvalid as exc:
        raise _problems(exc, "nothing was imported or loaded.") from exc
    own = [n for n in ontology.nodes.values() if n.id.split(":")[1:2] == [source]]
    counts = Counter(n.label for n in own)
    ids = {n.id for n in own}
    rel_counts = Counter(r.type for r in ontology.relationships.values() if r.start in ids)
    console.print(
        f"{file.name} valid: source {source!r} holds "
        + ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))
        + "; "
        + ", ".join(f"{count} {t}" for t, count in sorted(rel_counts.items())),
        highlight=False,
    )
    if dry_run:
        console.print("dry run: nothing written")
        return
    started = time.monotonic()
    with _store(settings) as store:
        release = _load(store, ontology, settings)
    target = registry.register(settings.organisations_path, source, file, title)
    console.print(
        f"[green]imported[/green] {file.name} as {target} and loaded release {release.get('version')} "
        f"({str(release.get('content_hash'))[:12]}): {release.get('nodes')} nodes, "
        f"{release.get('relationships')} relationships in {time.monotonic() - started:.1f}s",
        highlight=False,
    )


def _emit(model: BaseModel, fmt: str, table: Callable[[], None]) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "table":
        table()
    else:
        console.print(f"[red]unsupported format {fmt!r}[/red]; use table or json")
        raise typer.Exit(2)


def _table(*columns: str) -> Table:
    table = Table(show_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


@app.command("sources")
def sources_command(fmt: FormatOption = "table") -> None:
    """The organisation sources the loaded release holds."""
    from app.overlay.sources import read_sources

    settings = _settings()
    with _store(settings) as store:
        found = read_sources(store)
    from app.overlay.models import OrganisationSourceList

    model = OrganisationSourceList(items=found, total=len(found), next=None)

    def show() -> None:
        table = _table("source", "title", "files", "rows", "roles")
        for item in found:
            table.add_row(item.name, item.title, ", ".join(item.files), str(item.rows), str(item.roles))
        Console().print(table)

    _emit(model, fmt, show)
