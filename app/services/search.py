"""Ranked search over names, aliases, codes, ids and descriptions, from an index held in memory.

The graph is read-only between loads, so the index is built once per release from one query
(cypher/search/index.cypher) and every search after that is answered without the store.

Tiers, best first (`score`):

- 100 the text is a whole name, alias or code; 60 one begins with it; 40 a word in one begins
  with it (after a space, `/` or `(`); 20 one contains it; 10 the id contains it;
- 8 every word of the text begins a word of the names, aliases or codes, in any order
  ("manager incident" finds "Incident manager");
- 5, only when nothing above matched: every word of the text begins a word of the description.

A text of one or two characters occurs inside nearly every name, so it matches only where a
name, alias, code or one of their words begins (tiers 100, 60, 40 and 8), as an autocomplete
box expects after the first keystroke: never the inside of a word or an id.

Within a tier the label practitioners most often mean comes first (a practice before a
competency of the same name: "change management" is an alias of change enablement and the name
of a competency), then the field that matched (name > alias > code > id), then the shorter name.

When the text matches nothing, each word not in the graph's vocabulary is replaced by the
closest word that is (rapidfuzz, Indel similarity of at least 80) and the search runs once more
for that spelling, which the answer reports as `corrected`.

No tier walks the nodes in Python. The strings of the names, aliases and codes are kept sorted,
and so are the places where a word begins in them, so the strings that are the text, begin with
it or have a word beginning with it are one bisection away. Which strings and ids hold the text
anywhere comes from splitting one joined string at every occurrence (a C loop), the pieces'
lengths giving the positions and a position table giving their strings. The total is the size of
a set of nodes; only the tiers the page reaches are sorted, in C, by one integer key a string.
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, repeat
from operator import add
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
WORD_START = frozenset(" /(")  # a word begins after one of these inside a string
WORD_BOUNDARY = re.compile(f"(?<=[{re.escape(''.join(sorted(WORD_START)))}]).")
SHORT = 3  # texts shorter than this match where a string or a word begins, never inside one


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
    """Strings joined into one, each owned by (node index, field), searched without a loop in Python.

    `part_at[position]` is the string a position of the joined text falls in (4 bytes a
    character). `by_text` orders the strings, and `word_at` the positions where a word begins
    (after a space, `/` or `(`) by the rest of their string, so that the strings beginning
    with a text, or with a word beginning with it, are one bisection away.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.owners: list[tuple[int, int]] = []
        self.text = ""
        self.part_at = array("i")
        self.by_text = array("i")
        self.word_at = array("i")
        self.word_part = array("i")

    def add(self, text: str, node: int, field: int) -> None:
        self.parts.append(text)
        self.owners.append((node, field))

    def seal(self, words: bool = True) -> None:
        parts, at, starts = self.parts, 0, []
        for i, part in enumerate(parts):
            starts.append(at)
            self.part_at.extend(repeat(i, len(part) + 1))
            at += len(part) + 1
        self.text = SEP.join(parts) + SEP
        self.by_text = array("i", sorted(range(len(parts)), key=parts.__getitem__))
        if words:
            heads = [(m.start(), i) for i, part in enumerate(parts) for m in WORD_BOUNDARY.finditer(part)]
            heads.sort(key=lambda head: parts[head[1]][head[0] :])
            self.word_at = array("i", (starts[i] + offset for offset, i in heads))
            self.word_part = array("i", (i for _offset, i in heads))

    @staticmethod
    def _range(order: array[int], q: str, key: Callable[[int], str]) -> slice:
        lo = bisect_left(order, q, key=key)
        return slice(lo, bisect_right(order, q, lo=lo, key=key))

    def beginning(self, q: str) -> array[int]:
        """The strings that begin with `q` (those that are `q` first), in text order."""
        parts, size = self.parts, len(q)
        return self.by_text[self._range(self.by_text, q, lambda i: parts[i][:size])]

    def word_beginning(self, q: str) -> array[int]:
        """The strings with a word (not the first) that begins with `q`; a string once per such word."""
        text, size = self.text, len(q)
        return self.word_part[self._range(self.word_at, q, lambda at: text[at : at + size])]

    def holding(self, q: str) -> list[int]:
        """The strings `q` occurs in (a string once per occurrence found), found by C loops:
        the text split at each occurrence, the occurrences' positions summed from the pieces'."""
        pieces = self.text.split(q)
        if len(pieces) == 1:
            return []
        size = len(q)
        positions = map(add, accumulate(map(len, pieces[:-1])), range(0, size * (len(pieces) - 1), size))
        return list(map(self.part_at.__getitem__, positions))


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
        self.names, self.ids = _Haystack(), _Haystack()
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
                self.description_words.add(description, i)
        self.names.seal()
        self.ids.seal(words=False)
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
        # per string of `names`: its node, and its key within a tier (field, then the node's base)
        # (arrays: a lookup reads 4 or 8 bytes in a row, not an int object somewhere on the heap)
        self._name_node = array("i", (node for node, _field in self.names.owners))
        self._name_field = array("i", (field for _node, field in self.names.owners))
        self._name_key = array("q", (field * count + self._base[node] for node, field in self.names.owners))
        self._id_node = array("i", (node for node, _field in self.ids.owners))
        # per label: its nodes, and the strings of `names` they own (a label filter as a set lookup)
        members: dict[str, list[int]] = {}
        for i, entry in enumerate(self.nodes):
            for lab in entry.labels:
                members.setdefault(lab, []).append(i)
        parts_of: dict[str, list[int]] = {}
        for p, owner in enumerate(self._name_node):
            for lab in self.nodes[owner].labels:
                parts_of.setdefault(lab, []).append(p)
        self._labelled = {lab: frozenset(found) for lab, found in members.items()}
        self._labelled_parts = {lab: frozenset(found) for lab, found in parts_of.items()}
        self.vocabulary = sorted(vocabulary)
        self.known = frozenset(vocabulary)

    def find(self, q: str, label: str | None, first: int | None = None) -> tuple[list[tuple[int, int, int]], int]:
        """(node, score, field) of the matches of the normalised text `q`, best first, and how many
        there are; with `first`, only the first that many are ranked (a page of a long list).

        Each tier is a set of strings or nodes found by bisection or by C loops; only the tiers
        the page reaches get a key per string, and a node counts once, at its best key."""
        if not q or SEP in q:
            return [], 0
        names = self.names
        node_of, field_of, key_of = self._name_node, self._name_field, self._name_key
        allowed = self._labelled.get(label, frozenset()) if label is not None else None
        opening = names.beginning(q)
        exact = opening[: next((k for k, p in enumerate(opening) if len(names.parts[p]) != len(q)), len(opening))]
        word_opening = names.word_beginning(q)
        if len(q) >= SHORT:
            holding = names.holding(q)
            matched = set(map(node_of.__getitem__, holding))
            id_nodes = set(map(self._id_node.__getitem__, self.ids.holding(q)))
            inside = list(set(holding).difference(opening, word_opening))
        else:  # one or two characters: where a string or a word begins, never inside one or an id
            matched = set(map(node_of.__getitem__, chain(opening, word_opening)))
            id_nodes, inside = set(), []
        words = _words(q)
        in_any_order: set[int] = set()
        if len(words) > 1 or (words and words[0] != q):
            in_any_order = self.name_words.all_of(words)
        matched |= id_nodes | in_any_order
        tiers: list[tuple[int, int, Sequence[int] | None, set[int]]] = [
            (EXACT, NAME, exact, set()),
            (PREFIX, NAME, opening, set()),
            (WORD_PREFIX, NAME, word_opening, set()),
            (SUBSTRING, NAME, inside, set()),
            (IN_ID, ID, None, id_nodes),
            (ALL_WORDS, NAME, None, in_any_order),
        ]
        if not matched and words:  # descriptions only when no name, alias, code or id matches
            matched = self.description_words.all_of(words)
            tiers = [(ALL_WORDS_DESCRIPTION, DESCRIPTION, None, matched)]
        total = len(matched if allowed is None else matched & allowed)
        # Best first: tier by tier, each tier's strings (or nodes) sorted by their key in C, and a
        # node taken at its first, best, appearance until the page is full.
        out: list[tuple[int, int, int]] = []
        seen: set[int] = set()
        want = total if first is None else min(first, total)
        for score, field, parts, nodes in tiers:
            if len(out) >= want:
                break
            if parts is not None:  # strings of names: the field is the string's
                if label is not None:
                    parts = list(filter(self._labelled_parts[label].__contains__, parts))
                for p in sorted(parts, key=key_of.__getitem__):
                    node = node_of[p]
                    if node not in seen:
                        seen.add(node)
                        out.append((node, score, field_of[p]))
                        if len(out) >= want:
                            break
            else:
                chosen = nodes if allowed is None else nodes & allowed
                for node in sorted(chosen - seen, key=self._base.__getitem__):
                    seen.add(node)
                    out.append((node, score, field))
                    if len(out) >= want:
                        break
        return out, total

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
