"""`python -m seed [ONTOLOGY_DIR]`: validate the ontology files and print counts or problems."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from seed.validate import OntologyInvalid, read_ontology


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "ontology"
    try:
        ontology = read_ontology(directory)
    except OntologyInvalid as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s)")
        return 1
    labels = Counter(n.label for n in ontology.nodes.values())
    types = Counter(r.type for r in ontology.relationships.values())
    print(f"valid: {len(ontology.nodes)} nodes, {len(ontology.relationships)} relationships, hash {ontology.content_hash[:12]}")
    for name, count in sorted((labels + types).items()):
        print(f"  {name}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
