"""Value chains and the headline question: which practices contribute to an activity."""

from __future__ import annotations

from typing import Any

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import ActivityRef, Contribution, ContributionList, NodeSummary, ValueChainEntry, ValueChainList
from app.paging import Page
from app.services.memory import MemoryGraph

# Strongest first. `unspecified`: the text says the practice contributes but not how much;
# `none`: the text explicitly excludes the activity.
LEVEL_RANK = {"high": 4, "medium": 3, "low": 2, "unspecified": 1, "none": 0}
DEFAULT_MIN_LEVEL = "unspecified"
ROLE_KEYS = ("id", "label", "name", "kind", "basis", "rationale", "responsibility")


def value_chains(store: GraphStore) -> ValueChainList:
    items = []
    for row in store.read("value_chain/list"):
        activities = sorted(row["activities"], key=lambda a: (a.get("order") is None, a.get("order") or 0, a["id"]))
        frameworks = sorted(row["frameworks"], key=lambda f: f["id"])
        items.append(
            ValueChainEntry(
                id=row["id"],
                name=row["name"],
                framework=frameworks[0] if frameworks else None,
                activities=[ActivityRef(**a) for a in activities],
            )
        )
    return ValueChainList(items=items)


def contributions(
    store: GraphStore,
    activity_id: str,
    *,
    min_level: str,
    source: str | None,
    include_roles: bool,
    page: Page,
    graph: MemoryGraph | None = None,
) -> ContributionList:
    """A page of the practices contributing to an activity (see `all_contributions`); models are
    built for the page alone. From memory the whole list is shaped and cut; from the store the page
    is cut in Cypher before any role is read (value_chain/practices_page), the same page."""
    if graph is None:
        return _page_from_store(
            store, activity_id, min_level=min_level, source=source, include_roles=include_roles, page=page
        )
    activity, shaped = _shaped(
        store, activity_id, min_level=min_level, source=source, include_roles=include_roles, graph=graph
    )
    window = [Contribution(**item) for item in shaped[page.skip : page.skip + page.limit]]
    return ContributionList(activity=activity, **page.wrap(window, len(shaped)))


def _page_from_store(
    store: GraphStore, activity_id: str, *, min_level: str, source: str | None, include_roles: bool, page: Page
) -> ContributionList:
    """`contributions` from the store, one page: the total and the activity from one query, the
    page's practices (in the order `_shape` gives, ties by id) with their statements and roles from
    another. The page is shaped exactly as the whole list is, so its items are those of the whole
    list's slice (tests/test_headline_paged.py). Every filter of the plain headline (min_level,
    source, roles) is applied in Cypher; aligned=true merges several activities' lists in the
    service (app/services/crosswalk.py) and still reads them whole."""
    floor = LEVEL_RANK[min_level]
    head = store.read_one("value_chain/practices_total", activity=activity_id, source=source, floor=floor)
    if head is None:
        raise NotFound("value chain activity", activity_id)
    total = head["total"]
    rows: list[dict[str, Any]] = []
    if page.skip < total:
        rows = store.read(
            "value_chain/practices_page",
            activity=activity_id,
            source=source,
            floor=floor,
            roles=include_roles,
            skip=page.skip,
            limit=page.limit,
        )
    entries = [
        {"practice": row["practice"], "contribution": statement, "roles": row["roles"]}
        for row in rows
        for statement in row["contributions"]
    ]
    window = [Contribution(**item) for item in _shape(entries, floor=floor, include_roles=include_roles)]
    return ContributionList(activity=NodeSummary(**head["activity"]), **page.wrap(window, total))


def all_contributions(
    store: GraphStore,
    activity_id: str,
    *,
    min_level: str,
    source: str | None,
    include_roles: bool,
    graph: MemoryGraph | None = None,
) -> tuple[NodeSummary, list[Contribution]]:
    """The activity and, per practice, its contribution at the strongest level any statement gives,
    with every statement as evidence, strongest first. `roles` is set only with `include_roles`.
    From the release's graph in memory when it is held (the same answer: tests/test_memory_graph.py),
    else from the store. Ties are broken by id, so that the order never depends on the store's."""
    activity, shaped = _shaped(
        store, activity_id, min_level=min_level, source=source, include_roles=include_roles, graph=graph
    )
    return activity, [Contribution(**item) for item in shaped]


def _shaped(
    store: GraphStore,
    activity_id: str,
    *,
    min_level: str,
    source: str | None,
    include_roles: bool,
    graph: MemoryGraph | None,
) -> tuple[NodeSummary, list[dict[str, Any]]]:
    """`all_contributions` as plain values, in their order."""
    if graph is not None:
        row = graph.contributions(activity_id, source)
    else:
        row = store.read_one("value_chain/practices", activity=activity_id, source=source)
    if row is None:
        raise NotFound("value chain activity", activity_id)
    items = _shape(row["contributions"], floor=LEVEL_RANK[min_level], include_roles=include_roles)
    return NodeSummary(**row["activity"]), items


def _shape(entries: list[dict[str, Any]], *, floor: int, include_roles: bool) -> list[dict[str, Any]]:
    """Per practice of `entries` (one per statement: practice, contribution, roles) its contribution
    at its strongest level when that is at least `floor`, strongest first, then by lower-case name,
    then by id (value_chain/practices_page orders the same way)."""
    by_practice: dict[str, dict[str, Any]] = {}
    for entry in entries:
        practice = entry["practice"]
        item = by_practice.setdefault(
            practice["id"], {"practice": practice, "evidence": [], "roles": {r["id"]: r for r in entry["roles"]}}
        )
        # Keys without a value left out on every store (ArcadeDB drops them from map literals).
        item["evidence"].append({k: v for k, v in entry["contribution"].items() if v is not None})
    items = []
    for item in by_practice.values():
        evidence = sorted(
            item["evidence"],
            key=lambda e: (-LEVEL_RANK[e["level"]], e["sources"], e.get("level_cue") or "", e.get("summary") or ""),
        )
        strongest = evidence[0]
        if LEVEL_RANK[strongest["level"]] < floor:
            continue
        shaped: dict[str, Any] = {
            "practice": item["practice"],
            "level": strongest["level"],
            "level_cue": strongest.get("level_cue"),
            "summary": strongest.get("summary"),
            "sources": sorted({s for e in evidence for s in e["sources"]}),
            "evidence": evidence,
        }
        if include_roles:
            # Every key present on both stores (ArcadeDB drops null-valued keys from map literals).
            roles = [{key: role.get(key) for key in ROLE_KEYS} for role in item["roles"].values()]
            shaped["roles"] = sorted(roles, key=lambda r: (r["basis"] != "stated", r["name"], r["id"]))
        items.append(shaped)
    items.sort(key=lambda i: (-LEVEL_RANK[i["level"]], i["practice"]["name"].lower(), i["practice"]["id"]))
    return items
