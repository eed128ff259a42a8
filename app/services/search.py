"""Ranked search over names, aliases and codes, with a correction for misspelt words.

Matches are ranked exact > prefix > word prefix > substring > id (cypher/search/nodes.cypher); ties
go to the label practitioners most often mean (a practice before a competency of the same name).
When the text matches nothing, each word not in the graph's vocabulary is replaced by the closest
word that is (rapidfuzz, Indel similarity of at least 80), and the search runs once more for that
spelling, which the answer reports as `corrected`.
"""

from __future__ import annotations

import re
import threading

from rapidfuzz import fuzz, process

from app.graph.store import GraphStore
from app.models import SearchHit, SearchResults
from app.paging import Page

# Which label wins a tie (same score): the things people look up most, before the competency or
# concept nodes that often share their names.
LABEL_ORDER = [
    "Practice",
    "ValueChainActivity",
    "Role",
    "SFIASkill",
    "Term",
    "Artifact",
    "Process",
    "GuidingPrinciple",
    "Dimension",
    "SVSComponent",
    "ValueStream",
    "ValueChain",
    "Framework",
    "ValueStreamStep",
    "SFIASkillLevel",
    "ChangeRequest",
    "Concept",
    "Competency",
]
WORD = re.compile(r"[a-z0-9]+")
MIN_WORD = 4  # shorter words are left as typed: too many near neighbours
CUTOFF = 80.0

_lock = threading.Lock()
_vocabulary: tuple[str | None, list[str]] = (None, [])


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def vocabulary(store: GraphStore, release: str | None) -> list[str]:
    """The graph's words, sorted; cached per release (a reload changes them)."""
    global _vocabulary
    with _lock:
        cached_release, words = _vocabulary
        if release is not None and cached_release == release:
            return words
    found: set[str] = set()
    for row in store.read("search/vocabulary"):
        for text in [row["name"] or "", row["code"] or "", *row["aliases"]]:
            found.update(w for w in _words(text) if len(w) >= MIN_WORD)
    words = sorted(found)
    with _lock:
        _vocabulary = (release, words)
    return words


def correct(text: str, words: list[str]) -> str | None:
    """The text with each unknown word replaced by its closest known word; None if nothing changed."""
    known = set(words)
    changed = False
    out = []
    for token in text.split():
        best = None
        if len(token) >= MIN_WORD and token.isalnum() and token not in known:
            best = process.extractOne(token, words, scorer=fuzz.ratio, score_cutoff=CUTOFF)
        if best is not None:
            out.append(best[0])
            changed = True
        else:
            out.append(token)
    return " ".join(out) if changed else None


def _run(store: GraphStore, text: str, label: str | None, skip: int, limit: int) -> tuple[int, list[SearchHit]]:
    row = store.read_one("search/nodes", q=text, label=label, label_order=LABEL_ORDER, skip=skip, limit=limit)
    assert row is not None
    return row["total"], [SearchHit.model_validate(hit) for hit in row["items"]]


def search(store: GraphStore, q: str, *, label: str | None, page: Page, release: str | None) -> SearchResults:
    """A page of hits; `corrected` set when the search ran for a corrected spelling."""
    text = " ".join(q.strip().lower().split())
    total, hits = _run(store, text, label, page.skip, page.limit)
    corrected = None
    if not total:
        fixed = correct(text, vocabulary(store, release))
        if fixed is not None:
            total, hits = _run(store, fixed, label, page.skip, page.limit)
            corrected = fixed if total else None
    return SearchResults(**page.wrap(hits, total), corrected=corrected)
