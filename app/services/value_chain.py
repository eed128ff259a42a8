"""Value chains and the headline question: which practices contribute to an activity."""

from __future__ import annotations

from typing import Any

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import ActivityRef, Contribution, ContributionList, NodeSummary, ValueChainEntry, ValueChainList
from app.paging import Page

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
    store: GraphStore, activity_id: str, *, min_level: str, source: str | None, include_roles: bool, page: Page
) -> ContributionList:
    """A page of the practices contributing to an activity (see `all_contributions`)."""
    activity, items = all_contributions(
        store, activity_id, min_level=min_level, source=source, include_roles=include_roles
    )
    return ContributionList(activity=activity, **page.cut(items))


def all_contributions(
    store: GraphStore, activity_id: str, *, min_level: str, source: str | None, include_roles: bool
) -> tuple[NodeSummary, list[Contribution]]:
    """The activity and, per practice, its contribution at the strongest level any statement gives,
    with every statement as evidence, strongest first. `roles` is set only with `include_roles`."""
    row = store.read_one("value_chain/practices", activity=activity_id, source=source)
    if row is None:
        raise NotFound("value chain activity", activity_id)
    floor = LEVEL_RANK[min_level]
    by_practice: dict[str, dict[str, Any]] = {}
    for entry in row["contributions"]:
        practice = entry["practice"]
        item = by_practice.setdefault(
            practice["id"], {"practice": practice, "evidence": [], "roles": {r["id"]: r for r in entry["roles"]}}
        )
        item["evidence"].append(entry["contribution"])
    items = []
    for item in by_practice.values():
        evidence = sorted(item["evidence"], key=lambda e: (-LEVEL_RANK[e["level"]], e["sources"]))
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
            shaped["roles"] = sorted(roles, key=lambda r: (r["basis"] != "stated", r["name"]))
        items.append(Contribution(**shaped))
    items.sort(key=lambda i: (-LEVEL_RANK[i.level], i.practice.name.lower()))
    return NodeSummary(**row["activity"]), items
