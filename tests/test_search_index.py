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


# --- the index against a plain scan ---------------------------------------------------------------


def _scan(index: SearchIndex, rows: list[dict[str, Any]], q: str, label: str | None) -> list[tuple[str, int, str]]:
    """What `find` must answer, by looking at every string of every node (texts of 3+ characters)."""
    from app.services.search import FIELDS, LABEL_ORDER, WORD_START, _words

    def tier(text: str) -> int | None:
        if q not in text:
            return None
        if text == q:
            return 100
        if text.startswith(q):
            return 60
        at = text.find(q)
        while at >= 0:
            if text[at - 1] in WORD_START:
                return 40
            at = text.find(q, at + 1)
        return 20

    def norm(text: str | None) -> str:
        return " ".join((text or "").lower().split())

    found: dict[str, tuple[int, int]] = {}
    for row in rows:
        if label is not None and label not in row["labels"]:
            continue
        texts = [
            (norm(row["name"] or row["id"]), 0),
            *((norm(a), 1) for a in row["aliases"] if a),
            (norm(row["code"]), 2),
        ]
        scored = [(t, field) for text, field in texts if (t := tier(text)) is not None]
        if scored:
            best = max(scored, key=lambda sf: (sf[0], -sf[1]))
            found[row["id"]] = best
        elif q in row["id"].lower():
            found[row["id"]] = (10, 3)
        elif (
            (len(_words(q)) > 1 or _words(q) != [q])
            and _words(q)
            and all(any(w.startswith(word) for text, _ in texts for w in _words(text)) for word in _words(q))
        ):
            found[row["id"]] = (8, 0)
    if not found and _words(q):
        for row in rows:
            if label is not None and label not in row["labels"]:
                continue
            if all(any(w.startswith(word) for w in _words(norm(row["description"]))) for word in _words(q)):
                found[row["id"]] = (5, 4)
    rank = {lab: i for i, lab in enumerate(LABEL_ORDER)}
    by_id = {row["id"]: row for row in rows}

    def key(node_id: str) -> tuple[Any, ...]:
        row, (score, field) = by_id[node_id], found[node_id]
        labels = [lab for lab in row["labels"] if lab != "Entity"]
        name = row["name"] or node_id
        return (-score, min(rank.get(lab, len(LABEL_ORDER)) for lab in labels), field, len(name), name, node_id)

    return [(i, found[i][0], FIELDS[found[i][1]]) for i in sorted(found, key=key)]


def _generated_rows(count: int) -> list[dict[str, Any]]:
    import random

    pick = random.Random(7)
    words = ["incident", "change", "service", "desk", "level", "(cap)", "Risk/Audit", "management", "in", "sla"]
    labels = ["Practice", "Role", "Competency", "Concept", "Term"]
    rows = []
    for i in range(count):
        name = " ".join(pick.choice(words) for _ in range(pick.randint(1, 4)))
        aliases = [" ".join(pick.sample(words, 2))] if i % 4 == 0 else []
        code = f"C{i % 50}-{pick.choice(words)[:3].upper()}" if i % 5 == 0 else None
        description = " ".join(pick.choice(words) for _ in range(6)) if i % 3 else None
        rows.append(
            _row(
                f"concept:n{i:04d}-{pick.choice(words)[:4]}",
                name.title(),
                pick.choice(labels),
                aliases=aliases,
                code=code,
                description=description,
            )
        )
    return rows


@pytest.mark.parametrize("label", [None, "Role"])
def test_every_text_of_three_characters_or_more_ranks_as_a_scan_would(label: str | None) -> None:
    rows = _generated_rows(400)
    index = SearchIndex(rows)
    texts = [
        "incident",
        "cid",
        "nt m",
        "management in",
        "desk level",
        "sla",
        "(ca",
        "k/au",
        "audit",
        "c1",
        "n00",
        "concept:n01",
        "cap)",
        "servic desk",
        "risk change",
        "zzz",
        "in in",
        "chan",
    ]
    for text in texts:
        if len(text) < 3:
            continue
        want = _scan(index, rows, text, label)
        matches, total = index.find(text, label)
        assert [(index.nodes[i].id, s, FIELDS_of(f)) for i, s, f in matches] == want, text
        assert total == len(want)
        for first in (1, 7, 30):
            page, counted = index.find(text, label, first)
            assert counted == total and page[:first] == matches[:first], (text, first)


def words_of(row: dict[str, Any]) -> list[str]:
    from app.services.search import _words

    return [w for x in [row["name"], *row["aliases"], row["code"] or ""] for w in _words(x)]


def FIELDS_of(field: int) -> str:
    from app.services.search import FIELDS

    return FIELDS[field]


@pytest.mark.parametrize("label", [None, "Practice"])
def test_one_or_two_characters_match_where_a_name_or_a_word_begins(label: str | None) -> None:
    """Short texts occur nearly everywhere: they match names, aliases and codes that are them or
    begin with them, or have a word that does, never the inside of a word, an id or a description."""
    from app.services.search import _words

    rows = _generated_rows(400)
    index = SearchIndex(rows)
    for text in ("i", "in", "c", "s", "(", "(c", "ri", "au", "zz"):
        matches, total = index.find(text, label)
        assert total == len(matches) == len({i for i, _, _ in matches})
        for i, score, field in matches:
            node = index.nodes[i]
            row = next(r for r in rows if r["id"] == node.id)
            assert label is None or label in row["labels"]
            texts = {"name": [row["name"]], "alias": row["aliases"], "code": [row["code"] or ""]}[FIELDS_of(field)]
            lowered = [" ".join(t.lower().split()) for t in texts]
            if score == 100:
                assert text in lowered
            elif score == 60:
                assert any(t.startswith(text) for t in lowered)
            elif score == 40:
                assert any(f"{c}{text}" in t for t in lowered for c in " /("), (text, node.id)
            else:  # "(c": its one word begins a word of the name, aliases or code
                assert (
                    score == 8 and _words(text) != [text] and any(w.startswith(_words(text)[0]) for w in words_of(row))
                )
        expected = {
            r["id"]
            for r in rows
            if (label is None or label in r["labels"])
            and (
                any(
                    t.startswith(text) or any(f"{c}{text}" in t for c in " /(")
                    for t in (" ".join(x.lower().split()) for x in [r["name"], *r["aliases"], r["code"] or ""])
                )
                or (_words(text) not in ([], [text]) and any(w.startswith(_words(text)[0]) for w in words_of(r)))
            )
        }
        assert {index.nodes[i].id for i, _, _ in matches} == expected, text
        scores = [s for _, s, _ in matches]
        assert scores == sorted(scores, reverse=True)
        for first in (1, 5, 40):
            page, counted = index.find(text, label, first)
            assert counted == total and page[:first] == matches[:first], (text, first)
