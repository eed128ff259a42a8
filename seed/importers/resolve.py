"""Find the framework node a cell names: by id, or by name or alias (any case), among some labels.

A name two nodes share (Plan: the ITIL activity and the Zero Outage phase) is refused as
ambiguous with both ids, so the organisation writes the id it means.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from seed.importers.fields import FieldError
from seed.model import NodeRecord, Ontology


def _key(name: str) -> str:
    return " ".join(name.lower().replace("&", "and").split())


class Resolver:
    def __init__(self, ontology: Ontology):
        self.nodes = dict(ontology.nodes)
        self._by_name: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # label -> key -> ids
        for node in ontology.nodes.values():
            names = [node.properties.get("name", ""), *node.properties.get("aliases", [])]
            if node.label == "SFIASkill":
                names.append(node.properties.get("code", ""))
            for name in names:
                if name:
                    self._by_name[node.label][_key(name)].add(node.id)

    def add(self, node: NodeRecord) -> None:
        """Make a node the organisation defines findable too (its own competencies)."""
        self.nodes[node.id] = node
        self._by_name[node.label][_key(node.properties["name"])].add(node.id)

    def find(self, text: str, labels: Iterable[str], what: str) -> NodeRecord:
        """The node `text` names among `labels`; FieldError saying why not."""
        wanted = tuple(labels)
        node = self.nodes.get(text)
        if node is not None:
            if node.label not in wanted:
                raise FieldError(f"{text!r} is a {node.label}, not a {what}")
            return node
        found = sorted({i for label in wanted for i in self._by_name[label].get(_key(text), set())})
        if len(found) == 1:
            return self.nodes[found[0]]
        if len(found) > 1:
            raise FieldError(f"{text!r} names several nodes ({', '.join(found)}); write the id you mean")
        raise FieldError(f"no {what} is called {text!r} (by id, name or alias)")

    def sfia(self, code: str) -> NodeRecord:
        node = self.nodes.get(f"sfia:{code.removeprefix('sfia:').upper()}")
        if node is None or node.label != "SFIASkill":
            known = sorted(n.properties["code"] for n in self.nodes.values() if n.label == "SFIASkill")
            raise FieldError(f"unknown SFIA code {code!r}; the graph knows {', '.join(known)}")
        return node
