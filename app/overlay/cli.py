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
        limits = settings.load_limits
        ontology = stage_import(settings.ontology_dir, settings.organisations_path, source, file, title, limits=limits)
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


# --- the answers -----------------------------------------------------------------------------------

Source = Annotated[str, typer.Argument(help="The organisation source, e.g. acme.")]
LimitOption = Annotated[int, typer.Option("--limit", help="Items to show at most.")]


def _profiles(store: GraphStore) -> Any:
    from app.overlay.profiles import ProfileCache

    return ProfileCache().get(store, None)


def _page(limit: int) -> Any:
    from app.paging import Page

    return Page(skip=0, limit=max(1, limit), release=None)


def _require(store: GraphStore, source: str) -> Any:
    from app.overlay.service import require_source
    from app.overlay.sources import read_sources

    return require_source(read_sources(store), source)


def _names(refs: list[Any]) -> str:
    return ", ".join(r.name for r in refs)


@app.command("suggest")
def suggest_command(
    source: Source,
    role: Annotated[str | None, typer.Option(help="Only this role (id in the catalogue).")] = None,
    each: Annotated[int, typer.Option(help="Suggestions of each kind per role.")] = 3,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write a mappings draft to review and import.")
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Ranked framework roles, competencies and SFIA skills for each role of SOURCE, with reasons."""
    from app.overlay import service

    settings = _settings()
    with _store(settings) as store:
        _require(store, source)
        answer = service.suggestions(_profiles(store), source, role=role, each=each, page=_page(10_000))
    if output is not None:
        output.write_text(service.draft_mappings(answer.items), encoding="utf-8")
        console.print(f"wrote {output}: set accept: true where you agree, then import it with --source {source}")

    def show() -> None:
        table = _table("own role", "kind", "suggestion", "score", "accepted", "reason")
        for item in answer.items:
            for kind, group in (("role", item.roles), ("competency", item.competencies), ("skill", item.skills)):
                for s in group:
                    own = item.role.name if s.own.id == item.role.id else f"{item.role.name}: {s.own.name}"
                    accepted = "yes" if s.accepted else ""
                    table.add_row(own, kind, f"{s.target.name} ({s.target.id})", f"{s.score:.1f}", accepted, s.reason)
        Console(width=200).print(table)

    _emit(answer, fmt, show)


@app.command("similar")
def similar_command(
    role: Annotated[str, typer.Argument(help="Any role id.")], limit: LimitOption = 10, fmt: FormatOption = "table"
) -> None:
    """Roles like ROLE (framework or own), most similar first."""
    from app.overlay import service

    settings = _settings()
    with _store(settings) as store:
        answer = service.similar(_profiles(store), role, _page(limit))

    def show() -> None:
        table = _table("role", "score", "reason")
        for item in answer.items:
            table.add_row(f"{item.role.name} ({item.role.id})", f"{item.similarity.score:.1f}", item.similarity.reason)
        Console(width=200).print(table)

    _emit(answer, fmt, show)


@app.command("communities")
def communities_command(limit: LimitOption = 20, fmt: FormatOption = "table") -> None:
    """Communities of roles and practices (networkx Louvain)."""
    from app.overlay import service

    settings = _settings()
    with _store(settings) as store:
        answer = service.communities(_profiles(store), _page(limit))

    def show() -> None:
        table = _table("#", "community", "roles", "practices")
        for item in answer.items:
            table.add_row(str(item.id), item.name, _names(item.roles), _names(item.practices))
        Console(width=200).print(table)

    _emit(answer, fmt, show)


@app.command("gaps")
def gaps_command(source: Source, fmt: FormatOption = "table") -> None:
    """Per role of SOURCE: what the framework roles it maps to require that it lacks."""
    from app.overlay import service

    settings = _settings()
    with _store(settings) as store:
        _require(store, source)
        answer = service.gaps(_profiles(store), source, _page(10_000))

    def show() -> None:
        table = _table("own role", "mapped to", "covered", "lacks: competencies by family", "lacks: SFIA skills")
        for item in answer.items:
            for gap in item.mapped:
                families = "; ".join(f"{family}: {_names(items)}" for family, items in gap.lacks.competencies.items())
                skills = ", ".join(
                    f"{s.code} {s.needed_level or '-'}" + (f" (holds {s.held_level})" if s.held else "")
                    for s in gap.lacks.skills
                )
                table.add_row(item.role.name, gap.framework_role.name, f"{gap.covered}/{gap.needed}", families, skills)
        Console(width=200).print(table)
        if answer.unmapped:
            console.print(f"mapped to no framework role: {_names(answer.unmapped)}")

    _emit(answer, fmt, show)


@app.command("coverage")
def coverage_command(
    source: Source,
    value_chain: Annotated[str, typer.Option(help="Value chain id.")] = "value-chain:itil",
    min_level: Annotated[str, typer.Option(help="high, medium, low or unspecified.")] = "low",
    through: Annotated[str, typer.Option(help="both, work (PERFORMS_IN only) or practices.")] = "both",
    svg: Annotated[Path | None, typer.Option(help="Also write the roles x activities matrix as SVG.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Activities and practices no role of SOURCE covers; --svg draws the matrix."""
    from app.overlay import service

    if min_level not in ("high", "medium", "low", "unspecified"):
        console.print(f"[red]--min-level {min_level!r}[/red]: use high, medium, low or unspecified")
        raise typer.Exit(2)
    if through not in ("both", "work", "practices"):
        console.print(f"[red]--through {through!r}[/red]: use both, work or practices")
        raise typer.Exit(2)
    settings = _settings()
    with _store(settings) as store:
        found = _require(store, source)
        profiles = _profiles(store)
        answer = service.coverage(
            store, profiles, source, value_chain=value_chain, min_level=min_level, page=_page(10_000), through=through
        )
        if svg is not None:
            svg.write_text(
                service.coverage_svg(
                    store, profiles, found, value_chain=value_chain, min_level=min_level, through=through
                ),
                encoding="utf-8",
            )
            console.print(f"wrote {svg}")

    def show() -> None:
        table = _table("activity", "covered", "best level", "by")
        for item in answer.activities:
            by = sorted({v.role.name + ("" if v.practice else " (works in it)") for v in item.covered_by})
            table.add_row(item.activity.name, "yes" if item.covered else "NO", item.best_level or "", ", ".join(by))
        Console(width=200).print(table)
        table = _table("practice no role answers for", "contributions")
        for practice in answer.items:
            levels = ", ".join(f"{c.activity.name} {c.level}" for c in practice.contributions)
            table.add_row(practice.practice.name, levels)
        Console(width=200).print(table)
        console.print(f"{answer.covered_practices} of {answer.practices} practices covered")

    _emit(answer, fmt, show)


@app.command("transition")
def transition_command(
    start: Annotated[str, typer.Argument(help="The role held now.")],
    end: Annotated[str, typer.Argument(help="The role to move to.")],
    fmt: FormatOption = "table",
) -> None:
    """What to acquire to move from START to END, step by step where a path of roles exists."""
    from app.overlay import service

    settings = _settings()
    with _store(settings) as store:
        answer = service.transition(_profiles(store), start, end)

    def show() -> None:
        table = _table("step", "via", "acquire", "cumulative")
        for step in answer.steps:
            comps = [i.name for items in step.acquire.competencies.values() for i in items]
            skills = [f"{s.code} {s.needed_level or '-'}" for s in step.acquire.skills]
            table.add_row(
                f"{step.start.name} -> {step.end.name}", step.via, ", ".join(skills + comps), str(step.cumulative.count)
            )
        Console(width=200).print(table)
        console.print(f"path {'found' if answer.path_found else 'not found (direct jump)'}: {_names(answer.path)}")
        console.print(f"direct jump: {answer.direct.count} item(s)")

    _emit(answer, fmt, show)


@app.command("impact")
def impact_command(
    change_request: Annotated[str, typer.Argument(help="A change request id, e.g. change-request:sfia-1431.")],
    source: Annotated[str | None, typer.Option(help="Only the roles of this organisation source.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Roles (framework and own), competencies and practices a SFIA change request touches."""
    from app.overlay import service

    settings = _settings()
    with _store(settings) as store:
        if source is not None:
            _require(store, source)
        answer = service.impact(store, _profiles(store), change_request, source=source, page=_page(10_000))

    def show() -> None:
        console.print(f"{answer.change_request.name} ({answer.status}): {len(answer.changes)} change(s)")
        table = _table("role", "organisation", "skill", "level", "certainty", "changes")
        for item in answer.items:
            table.add_row(
                item.role.name,
                item.organisation or "",
                item.skill.name,
                str(item.held_level or ""),
                item.certainty,
                ", ".join(item.changes),
            )
        Console(width=200).print(table)
        console.print(f"related: {_names(answer.related)}")

    _emit(answer, fmt, show)
