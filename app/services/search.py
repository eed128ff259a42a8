"""Ranked search over names, aliases, codes, ids and descriptions, from an index held in memory.

The graph is read-only between loads, so the index is built once per release from one query
(cypher/search/index.cypher) and every search after that is answered without the store.

Tiers, best first (`score`):

- 100 the text is a whole name, alias or code; 60 one begins with it; 40 a word in one begins
  with it (after a space, `/` or `(`); 20 one contains it; 10 the id contains it;
- 8 every word of the text begins a word of the names, aliases or codes, in any order
  ("manager incident" finds "Incident manager");
- 5, only when nothing above matched: every word of the text begins a word of the description.

Within a tier the label practitioners most often mean comes first (a practice before a
competency of the same name: "change management" is an alias of change enablement and the name
of a competency), then the field that matched (name > alias > code > id), then the shorter name.

When the text matches nothing, each word not in the graph's vocabulary is replaced by the
closest word that is (rapidfuzz, Indel similarity of at least 80) and the search runs once more
for that spelling, which the answer reports as `corrected`.

Every tier is a lookup, not a scan of the nodes: the names, ids and descriptions are each one
string searched with `str.find` (occurrences map back to their node by bisection), and the words
sit in sorted lists searched by prefix with bisection.
"""

from __future__ import annotations

import heapq
import re
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from app.graph.store import GraphStore, StoreUnavailable
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
MIN_WORD = 4  # shorter words are left as typed when correcting: too many near neighbours
CUTOFF = 80.0
SEP = "\x00"  # between the strings of one haystack; never in a search text
FIELDS = ("name", "alias", "code", "id", "description")
NAME, ALIAS, CODE, ID, DESCRIPTION = range(5)
EXACT, PREFIX, WORD_PREFIX, SUBSTRING, IN_ID, ALL_WORDS, ALL_WORDS_DESCRIPTION = 100, 60, 40, 20, 10, 8, 5
WORD_START = frozenset(" /(")


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


@dataclass(frozen=True)
class _Node:
    id: str
    name: str
    label: str
    labels: frozenset[str]
    rank: int


class _Haystack:
    """Strings joined into one, each owned by (node index, field), for fast occurrence search."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.owners: list[tuple[int, int]] = []
        self._at = 0
        self.text = ""

    def add(self, text: str, node: int, field: int) -> None:
        self.parts.append(text)
        self.starts.append(self._at)
        self.owners.append((node, field))
        self._at += len(text) + 1

    def seal(self) -> None:
        self.text = SEP.join(self.parts) + SEP

    def occurrences(self, q: str) -> dict[int, tuple[int, int]]:
        """node -> (best tier, its field) over every occurrence of `q`."""
        best: dict[int, tuple[int, int]] = {}
        text, starts, parts, size = self.text, self.starts, self.parts, len(q)
        at = text.find(q)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            start = starts[i]
            if at == start:
                tier = EXACT if len(parts[i]) == size else PREFIX
            else:
                tier = WORD_PREFIX if text[at - 1] in WORD_START else SUBSTRING
            node, field = self.owners[i]
            held = best.get(node)
            if held is None or tier > held[0] or (tier == held[0] and field < held[1]):
                best[node] = (tier, field)
            at = text.find(q, at + 1)
        return best


class _Words:
    """word -> nodes, with the words sorted for prefix lookups."""

    def __init__(self) -> None:
        self.nodes: dict[str, set[int]] = {}
        self.sorted: list[str] = []

    def add(self, text: str, node: int) -> None:
        for word in _words(text):
            self.nodes.setdefault(word, set()).add(node)

    def seal(self) -> None:
        self.sorted = sorted(self.nodes)

    def starting_with(self, prefix: str) -> set[int]:
        found: set[int] = set()
        i = bisect_left(self.sorted, prefix)
        while i < len(self.sorted) and self.sorted[i].startswith(prefix):
            found |= self.nodes[self.sorted[i]]
            i += 1
        return found

    def all_of(self, words: list[str]) -> set[int]:
        found: set[int] | None = None
        for word in sorted(words, key=len, reverse=True):  # the longest word narrows fastest
            nodes = self.starting_with(word)
            found = nodes if found is None else found & nodes
            if not found:
                return set()
        return found or set()


class SearchIndex:
    """Everything a search needs about one release's nodes."""

    def __init__(self, rows: list[dict[str, Any]]):
        order = {label: i for i, label in enumerate(LABEL_ORDER)}
        self.nodes: list[_Node] = []
        self.names, self.ids, self.descriptions = _Haystack(), _Haystack(), _Haystack()
        self.name_words, self.description_words = _Words(), _Words()
        vocabulary: set[str] = set()
        for i, row in enumerate(sorted(rows, key=lambda r: r["id"])):
            labels = [label for label in row["labels"] if label != "Entity"]
            label = labels[0] if labels else "Entity"
            name = row["name"] or row["id"]
            rank = min((order.get(lab, len(LABEL_ORDER)) for lab in labels), default=len(LABEL_ORDER))
            self.nodes.append(_Node(row["id"], name, label, frozenset(row["labels"]), rank))
            texts = [(name, NAME), *((a, ALIAS) for a in row["aliases"] or [] if a), (row["code"] or "", CODE)]
            for text, field in texts:
                lowered = " ".join(text.lower().split())
                self.names.add(lowered, i, field)
                self.name_words.add(lowered, i)
                # words with a letter: a typo is never corrected into a number (ids and codes hold many)
                vocabulary.update(w for w in _words(lowered) if len(w) >= MIN_WORD and not w.isdigit())
            self.ids.add(row["id"].lower(), i, ID)
            description = " ".join((row["description"] or "").lower().split())
            if description:
                self.descriptions.add(description, i, DESCRIPTION)
                self.description_words.add(description, i)
        for haystack in (self.names, self.ids, self.descriptions):
            haystack.seal()
        self.name_words.seal()
        self.description_words.seal()
        # The ranking (score desc, label rank, field, name length, name, node) as one integer per
        # match: (100 - score) * tier_step + field * len(nodes) + base[node], where base holds the
        # label rank and the node's place by (name length, name, index); ints compare in C.
        count = len(self.nodes)
        by_name = sorted(range(count), key=lambda i: (len(self.nodes[i].name), self.nodes[i].name, i))
        place = [0] * count
        for position, i in enumerate(by_name):
            place[i] = position
        field_span = len(FIELDS) * count
        self._base = [self.nodes[i].rank * field_span + place[i] for i in range(count)]
        self._tier_step = (len(LABEL_ORDER) + 1) * field_span
        self.vocabulary = sorted(vocabulary)
        self.known = frozenset(vocabulary)

    def find(self, q: str, label: str | None, first: int | None = None) -> tuple[list[tuple[int, int, int]], int]:
        """(node, score, field) of the matches of the normalised text `q`, best first, and how many
        there are; with `first`, only the first that many are ranked (a page of a long list)."""
        if not q or SEP in q:
            return [], 0
        best = self.names.occurrences(q)
        for node in self.ids.occurrences(q):
            best.setdefault(node, (IN_ID, ID))
        words = _words(q)
        if len(words) > 1 or (words and words[0] != q):
            for node in self.name_words.all_of(words):
                best.setdefault(node, (ALL_WORDS, NAME))
        if not best and words:  # descriptions only when no name, alias, code or id matches
            for node in self.description_words.all_of(words):
                best[node] = (ALL_WORDS_DESCRIPTION, DESCRIPTION)
        nodes, base, tier_step, field_step = self.nodes, self._base, self._tier_step, len(self.nodes)
        keyed = [
            ((100 - score) * tier_step + field * field_step + base[i], i, score, field)
            for i, (score, field) in best.items()
            if label is None or label in nodes[i].labels
        ]
        # a page of thousands: rank only the page
        ranked = heapq.nsmallest(first, keyed) if first is not None and len(keyed) > 4 * first else sorted(keyed)
        return [(i, score, field) for _key, i, score, field in ranked], len(keyed)

    def hit(self, match: tuple[int, int, int]) -> SearchHit:
        node = self.nodes[match[0]]
        return SearchHit(id=node.id, label=node.label, name=node.name, score=match[1], matched=FIELDS[match[2]])

    def correct(self, text: str) -> str | None:
        """The text with each unknown word replaced by its closest known word; None if nothing changed."""
        return correct(text, self.vocabulary, self.known)


def correct(text: str, words: list[str], known: frozenset[str] | None = None) -> str | None:
    """The text with each unknown word replaced by its closest known word; None if nothing changed."""
    known = known if known is not None else frozenset(words)
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


_lock = threading.Lock()
_built: tuple[tuple[str | None, str, str | None] | None, SearchIndex | None] = (None, None)


def index(store: GraphStore, release: str | None) -> SearchIndex:
    """The release's index: built on first use (one query), then served from memory. Without a
    known release (nothing loaded yet) it is built for this call only."""
    global _built
    if store.down_reason is not None:  # known down: the same 503 as every other answer
        raise StoreUnavailable(store.down_reason)
    key = (store.uri, store.database, release)  # the data's address and release
    held_key, built = _built
    if release is not None and held_key == key and built is not None:
        return built
    with _lock:  # one build per release, however many searches arrive meanwhile
        held_key, built = _built
        if release is not None and held_key == key and built is not None:
            return built
        fresh = SearchIndex(store.read("search/index"))
        if release is not None:
            _built = (key, fresh)
        return fresh


def search(store: GraphStore, q: str, *, label: str | None, page: Page, release: str | None) -> SearchResults:
    """A page of hits; `corrected` set when the search ran for a corrected spelling."""
    return answer(index(store, release), q, label=label, page=page)


def answer(found: SearchIndex, q: str, *, label: str | None, page: Page) -> SearchResults:
    """A page of hits from a built index (no store call; bench/search.py times this)."""
    text = " ".join(q.strip().lower().split())
    first = page.skip + page.limit
    matches, total = found.find(text, label, first)
    corrected = None
    if not total:
        fixed = found.correct(text)
        if fixed is not None:
            matches, total = found.find(fixed, label, first)
            corrected = fixed if total else None
    chosen = matches[page.skip : first]
    return SearchResults(**page.wrap([found.hit(m) for m in chosen], total), corrected=corrected)
