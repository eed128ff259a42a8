"""Search from the release's in-memory index: typos, words in any order, prefixes, field ranking;
on the real ontology through the API, and on a small hand-made index."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.services.search import SearchIndex


def _row(node_id: str, name: str, label: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": node_id,
        "name": name,
        "labels": ["Entity", label],
        "code": None,
        "aliases": [],
        "description": None,
    } | extra


INDEX = SearchIndex(
    [
        _row("practice:incident-management", "Incident management", "Practice", aliases=["IM"]),
        _row("role:incident-manager", "Incident manager", "Role"),
        _row("practice:change-enablement", "Change enablement", "Practice", aliases=["Change control"]),
        _row("competency:change-control", "Change control", "Competency"),
        _row("concept:widget", "Widget", "Concept", code="INCX", description="Keeps the incident queue short."),
        _row("concept:gadget", "Gadget", "Concept", description="A gadget for everything else."),
    ]
)


def ids(text: str, label: str | None = None) -> list[str]:
    return [INDEX.nodes[i].id for i, _, _ in INDEX.find(text, label)[0]]


def test_tiers_exact_prefix_word_prefix_substring() -> None:
    assert ids("incident management")[0] == "practice:incident-management"
    assert ids("incid") == ["practice:incident-management", "role:incident-manager"]  # not the description
    assert ids("management") == ["practice:incident-management"]  # a word of the name
    assert ids("cident") == ["practice:incident-management", "role:incident-manager"]  # inside a word


def test_words_in_any_order() -> None:
    assert ids("manager incident") == ["role:incident-manager"]
    assert ids("management incid") == ["practice:incident-management"]


def test_the_label_then_the_field_breaks_ties() -> None:
    # an exact alias of a practice before the exact name of a competency (label first) ...
    assert ids("change control") == ["practice:change-enablement", "competency:change-control"]
    # ... and within one label, a name before a code: both begin with "inc"
    hits = [INDEX.hit(m) for m in INDEX.find("incx", None)[0]]
    assert [(h.id, h.matched) for h in hits] == [("concept:widget", "code")]


def test_descriptions_answer_only_when_no_name_does() -> None:
    hits = [INDEX.hit(m) for m in INDEX.find("everything", None)[0]]
    assert [(h.id, h.matched, h.score) for h in hits] == [("concept:gadget", "description", 5)]
    assert ids("gadget everything") == ["concept:gadget"]  # the name has one word, the description both


def test_label_filter_and_nothing_found() -> None:
    assert ids("incid", "Role") == ["role:incident-manager"]
    assert ids("xqzv") == [] and ids("") == []


def test_misspelt_words_are_corrected_against_the_vocabulary() -> None:
    assert INDEX.correct("incdent") == "incident"
    assert INDEX.correct("managment incdent") == "management incident"
    assert INDEX.correct("incident") is None  # nothing to correct


# --- the real ontology, through the API -----------------------------------------------------------


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    answer = client.get("/v1/search", params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_typo_finds_incident_management(client: TestClient) -> None:
    body = search(client, q="incdent")
    assert body["corrected"] == "incident"
    assert "practice:incident-management" in [hit["id"] for hit in body["items"][:3]]
    body = search(client, q="incdent managment")
    assert body["corrected"] == "incident management"
    assert body["items"][0]["id"] == "practice:incident-management"


def test_words_in_any_order_find_the_role(client: TestClient) -> None:
    body = search(client, q="manager incident")
    found = [hit["id"] for hit in body["items"]]
    assert "role:zero-outage:incident-manager" in found and body["corrected"] is None


@pytest.mark.parametrize("typed", ["i", "in", "inc", "inci", "incid", "incide", "inciden", "incident"])
def test_every_prefix_keeps_incident_management_near_the_top(client: TestClient, typed: str) -> None:
    body = search(client, q=typed, label="Practice")
    assert "practice:incident-management" in [hit["id"] for hit in body["items"][:10]], typed


def test_hits_say_which_field_matched(client: TestClient) -> None:
    (hit,) = search(client, q="SACM", limit=1)["items"]
    assert hit["id"] == "practice:service-configuration-management" and hit["matched"] == "alias"


def test_a_page_of_a_long_list_is_the_same_page_of_the_whole_ranking() -> None:
    """Where a text matches thousands, only the page is ranked (heapq); it is the full ranking's page."""
    rows = [
        _row(f"concept:c{i:05d}", f"Service item {i % 97} {'desk' if i % 3 else 'level'}", "Concept")
        for i in range(3000)
    ]
    rows += [_row("practice:service-desk", "Service desk", "Practice"), _row("role:s", "S", "Role")]
    index = SearchIndex(rows)
    everything, total = index.find("s", None)
    assert total == len(everything) == len(rows)
    for first in (1, 20, 45):
        page, counted = index.find("s", None, first)
        assert counted == total and page == everything[:first]
    assert index.nodes[everything[0][0]].id == "role:s"  # the exact name first


def test_numbers_are_not_corrected_into() -> None:
    index = SearchIndex([_row("concept:a", "Alpha 12345", "Concept"), _row("concept:b", "Beta 12346", "Concept")])
    assert "12345" not in index.known and index.correct("12347") is None
    assert index.correct("alpah") == "alpha"
