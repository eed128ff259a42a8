"""Generate an ontology folder at a chosen scale: the real ontology plus synthetic nodes and links.

python -m bench.generate --nodes 10000 --rels 100000 --out /tmp/onto-10k [--seed 1] [--per-file 25000]

The folder holds ontology/schema.yaml and every real instance file unchanged, plus
`synthetic-nodes-NNNN.yaml` and `synthetic-relationships-NNNN.yaml` with `--nodes` more nodes and
`--rels` more relationships (so `--nodes 10000` gives 10,000 + the real count). It validates and
loads like ontology/ itself:

    ITSM_ONTOLOGY_DIR=/tmp/onto-10k itsm-ontology validate
    ITSM_ONTOLOGY_DIR=/tmp/onto-10k ITSM_DATA_DIR=/tmp/data-10k itsm-ontology load

The degree distribution is skewed the way real catalogues are: a few hub practices take most
responsibilities, contributions and relations (the real practices come first, so incident
management stays a hub), a few roles require hundreds of competencies while most need a handful,
and some competencies are required by many roles. Picks are deterministic for a given `--seed`.
Relationships of one type between the same two nodes get a distinct `key` (as the schema asks).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seed.schema import OntologySchema, load_schema
from seed.validate import SCHEMA_FILE, read_ontology

DEFAULT_ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
SYNTHETIC_PREFIX = "synthetic-"

# Synthetic nodes by label: (share, id stem, extra required properties).
NODE_MIX: tuple[tuple[str, float, str], ...] = (
    ("Competency", 0.45, "competency:syn"),
    ("Role", 0.25, "role:syn"),
    ("Concept", 0.10, "concept:syn"),
    ("Process", 0.08, "process:syn"),
    ("Artifact", 0.05, "artifact:syn"),
    ("Term", 0.05, "term:syn"),
    ("Practice", 0.02, "practice:syn"),
)
WORDS = (  # noqa: SIM905 - a word list reads best as text
    "service availability capacity change release incident problem event knowledge supplier risk "
    "security continuity deployment monitoring catalogue request desk configuration asset portfolio "
    "architecture workforce relationship measurement improvement strategy financial project business "
    "analysis design validation testing infrastructure platform software quality governance audit"
).split()


def skewed(rng: random.Random, size: int, power: float) -> int:
    """An index in [0, size): low indexes far more often (power 1 is uniform; 3 is a strong head)."""
    return min(size - 1, int(size * rng.random() ** power))


@dataclass
class Pools:
    """Node ids by label, real ones first (so the real hubs stay hubs)."""

    by_label: dict[str, list[str]] = field(default_factory=dict)

    def add(self, label: str, node_id: str) -> None:
        self.by_label.setdefault(label, []).append(node_id)

    def of(self, *labels: str) -> list[str]:
        return [i for label in labels for i in self.by_label.get(label, [])]


def _source(rng: random.Random, schema: OntologySchema) -> str:
    doc = rng.choice(list(schema.documents.values()))
    first = rng.randint(1, doc.lines)
    last = min(doc.lines, first + rng.randint(0, 12))
    return f"{doc.file}:{first}-{last}"


def _name(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(3)).capitalize() + f" {n}"


def _synthetic_nodes(rng: random.Random, schema: OntologySchema, count: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(label, properties) for `count` nodes in the NODE_MIX shares (largest shares rounded up)."""
    made = 0
    for i, (label, share, stem) in enumerate(NODE_MIX):
        n = count - made if i == len(NODE_MIX) - 1 else round(count * share)
        n = max(0, min(n, count - made))
        made += n
        for k in range(n):
            props: dict[str, Any] = {"id": f"{stem}:n{k:07d}", "name": _name(rng, k)}
            if label == "Practice":
                props["category"] = rng.choice(["general", "service", "technical"])
            elif label == "Role":
                props["kind"] = rng.choice(["itil-role", "job-profile", "competency-profile"])
                if rng.random() < 0.3:
                    props["responsibilities"] = [_name(rng, j) for j in range(rng.randint(1, 4))]
            elif label in ("Artifact", "Concept"):
                props["kind"] = "synthetic"
            if rng.random() < 0.5:
                props["description"] = f"Synthetic {label.lower()} for scale runs: " + " ".join(
                    rng.choice(WORDS) for _ in range(rng.randint(8, 30))
                )
            if rng.random() < 0.1:
                props["aliases"] = [_name(rng, k + 1)]
            props["sources"] = [_source(rng, schema) for _ in range(rng.randint(1, 2))]
            yield label, props


# A synthetic relationship kind: (type, share, start pool, start skew, end pool, end skew, extras).
Extras = Callable[[random.Random], dict[str, Any]]


def _basis(rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.8:
        return {"basis": "stated"}
    return {"basis": "inferred", "rationale": "synthetic link for scale runs"}


REL_MIX: tuple[tuple[str, float, tuple[str, ...], float, tuple[str, ...], float, Extras], ...] = (
    # Roles with many competencies (a few roles need hundreds), competencies shared by many roles.
    (
        "REQUIRES",
        0.40,
        ("Role",),
        2.5,
        ("Competency", "SFIASkill"),
        1.8,
        lambda r: {"level": r.randint(1, 7)} if r.random() < 0.4 else {},
    ),
    # Hub practices: most responsibilities land on a few practices.
    (
        "RESPONSIBLE_FOR",
        0.15,
        ("Role",),
        1.5,
        ("Practice", "Process"),
        3.0,
        lambda r: {**_basis(r), "kind": r.choice(["owner", "manager", "lead", "practitioner", "contributor"])},
    ),
    (
        "CONTRIBUTES_TO",
        0.05,
        ("Practice",),
        1.5,
        ("ValueChainActivity",),
        1.0,
        lambda r: {"level": r.choice(["high", "medium", "low", "none", "unspecified"])},
    ),
    ("PART_OF", 0.10, ("Process", "Term", "Artifact", "Competency"), 1.0, ("Practice", "Concept"), 3.0, lambda r: {}),
    (
        "RELATED_TO",
        0.20,
        ("Practice", "Role", "Concept", "Competency"),
        2.0,
        ("Practice", "Concept", "Artifact"),
        3.0,
        lambda r: {"kind": r.choice(["interacts-with", "reports-to", "uses", "feeds"]), **_basis(r)},
    ),
    ("MAPS_TO", 0.05, ("Competency", "Concept"), 1.5, ("SFIASkill", "Competency", "Concept"), 2.0, _basis),
    ("PERFORMS_IN", 0.05, ("Role",), 1.5, ("ValueChainActivity",), 1.0, _basis),
)


def _synthetic_relationships(
    rng: random.Random, schema: OntologySchema, pools: Pools, count: int, taken: set[tuple[str, str, str]]
) -> Iterator[dict[str, Any]]:
    kinds = [k for k in REL_MIX if pools.of(*k[2]) and pools.of(*k[4])]
    weights = [k[1] for k in kinds]
    resolved = [(k, pools.of(*k[2]), pools.of(*k[4])) for k in kinds]
    repeats: dict[tuple[str, str, str], int] = {}
    for _ in range(count):
        (rel_type, _share, _f, start_skew, _t, end_skew, extras), starts, ends = rng.choices(resolved, weights)[0]
        start = starts[skewed(rng, len(starts), start_skew)]
        end = ends[skewed(rng, len(ends), end_skew)]
        for _retry in range(8):
            if start != end and (rel_type, start, end) not in taken:
                break
            start = starts[skewed(rng, len(starts), start_skew)]
            end = ends[skewed(rng, len(ends), end_skew)]
        entry: dict[str, Any] = {"type": rel_type, "from": start, "to": end}
        triple = (rel_type, start, end)
        if triple in taken:  # a second link of one type between the same nodes: give it a key
            repeats[triple] = repeats.get(triple, 0) + 1
            entry["key"] = f"syn{repeats[triple]}"
        else:
            taken.add(triple)
        entry.update(extras(rng))
        entry["sources"] = [_source(rng, schema)]
        yield entry


def _flow(entry: dict[str, Any]) -> str:
    """One YAML flow mapping on one line (JSON strings are YAML double-quoted scalars)."""
    return "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in entry.items()) + "}"


def _write_chunks(out: Path, kind: str, lines: Iterator[str], per_file: int) -> int:
    written, index = 0, 0
    fh = None
    try:
        for line in lines:
            if written % per_file == 0:
                if fh:
                    fh.close()
                index += 1
                fh = (out / f"{SYNTHETIC_PREFIX}{kind}-{index:04d}.yaml").open("w", encoding="utf-8")
                fh.write(f"# Generated by bench/generate.py: synthetic {kind} for scale runs.\n{kind}:\n")
            assert fh is not None
            fh.write(f"  - {line}\n")
            written += 1
    finally:
        if fh:
            fh.close()
    return index


@dataclass
class Generated:
    out: Path
    real_nodes: int
    real_relationships: int
    nodes: int
    relationships: int
    files: int


def generate(
    out: Path,
    *,
    nodes: int,
    rels: int,
    seed: int = 1,
    per_file: int = 25_000,
    source: Path = DEFAULT_ONTOLOGY,
    force: bool = False,
) -> Generated:
    """Write the real ontology plus `nodes` synthetic nodes and `rels` synthetic relationships to `out`."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty (use --force to replace it)")
        shutil.rmtree(out)
    real = read_ontology(source)
    shutil.copytree(source, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns(f"{SYNTHETIC_PREFIX}*"))
    schema = load_schema(out / SCHEMA_FILE)
    rng = random.Random(seed)

    pools = Pools()
    for node in real.nodes.values():
        pools.add(node.label, node.id)
    node_lines: list[str] = []
    for label, props in _synthetic_nodes(rng, schema, nodes):
        pools.add(label, props["id"])
        node_lines.append(_flow({"label": label, **props}))
    taken = {(r.type, r.start, r.end) for r in real.relationships.values()}
    files = _write_chunks(out, "nodes", iter(node_lines), per_file)
    files += _write_chunks(
        out, "relationships", (_flow(e) for e in _synthetic_relationships(rng, schema, pools, rels, taken)), per_file
    )
    return Generated(out, len(real.nodes), len(real.relationships), nodes, rels, files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=10_000, help="synthetic nodes added to the real ones")
    parser.add_argument("--rels", type=int, default=100_000, help="synthetic relationships added")
    parser.add_argument("--out", type=Path, required=True, help="the ontology folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=25_000, help="entries per generated file")
    parser.add_argument("--source", type=Path, default=DEFAULT_ONTOLOGY, help="the real ontology folder")
    parser.add_argument("--force", action="store_true", help="replace a non-empty --out")
    args = parser.parse_args(argv)
    if args.nodes < 0 or args.rels < 0 or args.per_file < 1:
        parser.error("--nodes and --rels must be >= 0, --per-file >= 1")
    started = time.perf_counter()
    try:
        made = generate(
            args.out,
            nodes=args.nodes,
            rels=args.rels,
            seed=args.seed,
            per_file=args.per_file,
            source=args.source,
            force=args.force,
        )
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"wrote {made.out}: {made.real_nodes + made.nodes} nodes ({made.real_nodes} real + {made.nodes} synthetic), "
        f"{made.real_relationships + made.relationships} relationships ({made.real_relationships} real + "
        f"{made.relationships} synthetic) in {made.files} synthetic file(s), {time.perf_counter() - started:.1f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
