"""Counts of the curated ontology per source document: nodes per label, relationships per type, lines cited.

    .venv/bin/python tools/ontology_counts.py                 # the working tree's ontology/
    .venv/bin/python tools/ontology_counts.py --before REV    # and, beside it, ontology/ at git REV

A node or relationship counts for a document when at least one of its sources cites that document, so
the document columns add up to more than the total. "Lines cited" is the number of distinct lines of
the seed that at least one source range covers, out of the document's lines; with the seeds at hand
(--seeds, default ../shared/seeds) only non-blank lines count on either side. Reads YAML only (no store).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _ranges(source: str) -> tuple[str, int, int] | None:
    name, _, span = source.rpartition(":")
    prefix = name[:3]
    first, _, last = span.partition("-")
    try:
        return prefix, int(first), int(last or first)
    except ValueError:
        return None


def _text_lines(seeds: Path | None, file: str) -> set[int] | None:
    """The seed's non-blank line numbers (1-based, as splitlines() counts), or None without the seed."""
    if seeds is None or not (seeds / file).is_file():
        return None
    text = (seeds / file).read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(text, start=1) if line.strip()}


def count(ontology_dir: Path, seeds: Path | None = None) -> dict[str, object]:
    schema = yaml.safe_load((ontology_dir / "schema.yaml").read_text(encoding="utf-8"))
    docs = {doc["file"][:3]: (key, int(doc.get("lines") or 0)) for key, doc in schema["documents"].items()}
    text = {doc["file"][:3]: _text_lines(seeds, doc["file"]) for doc in schema["documents"].values()}
    per_doc: Counter[tuple[str, str]] = Counter()
    total: Counter[str] = Counter()
    multi: Counter[str] = Counter()
    lines: dict[str, set[int]] = {prefix: set() for prefix in docs}
    for path in sorted(ontology_dir.glob("*.yaml")):
        if path.name == "schema.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind, field in (("nodes", "label"), ("relationships", "type")):
            for entry in data.get(kind) or []:
                name = entry[field]
                cited = set()
                for source in entry.get("sources") or []:
                    parsed = _ranges(str(source))
                    if parsed is None:
                        continue
                    prefix, first, last = parsed
                    cited.add(prefix)
                    if prefix in lines:
                        lines[prefix].update(range(first, last + 1))
                total[name] += 1
                multi[name] += len(cited) > 1
                for prefix in docs:
                    per_doc[name, prefix] += prefix in cited
    return {
        "docs": docs,
        "labels": sorted(schema["labels"]),
        "types": sorted(schema["relationship_types"]),
        "per_doc": per_doc,
        "total": total,
        "multi": multi,
        "lines": {p: len(s & text[p]) if text.get(p) is not None else len(s) for p, s in lines.items()},
        "text_lines": {p: len(t) if t is not None else docs[p][1] for p, t in text.items()},
    }


def table(now: dict[str, object], before: dict[str, object] | None) -> str:
    docs: dict[str, tuple[str, int]] = now["docs"]  # type: ignore[assignment]

    def cell(data: dict[str, object] | None, name: str, prefix: str | None) -> str:
        if data is None:
            return ""
        if prefix is None:
            return str(data["total"][name])  # type: ignore[index]
        return str(data["per_doc"][name, prefix])  # type: ignore[index]

    def fmt(name: str, prefix: str | None) -> str:
        value = cell(now, name, prefix)
        if before is None:
            return value
        old = cell(before, name, prefix)
        return value if old == value else f"{old} → {value}"

    head = [f"{key} ({prefix})" for prefix, (key, _) in docs.items()]
    out = ["| | " + " | ".join(head) + " | total |", "|---" * (len(head) + 2) + "|"]
    for group, what in ((now["labels"], "all nodes"), (now["types"], "all relationships")):
        for name in group:  # type: ignore[attr-defined]
            out.append(f"| {name} | " + " | ".join(fmt(name, p) for p in docs) + f" | {fmt(name, None)} |")

        def sums(data: dict[str, object] | None, prefix: str | None, group: object = group) -> str:
            if data is None:
                return ""
            if prefix is None:
                return str(sum(data["total"][n] for n in group))  # type: ignore[index,attr-defined]
            return str(sum(data["per_doc"][n, prefix] for n in group))  # type: ignore[index,attr-defined]

        cells = []
        for prefix in [*docs, None]:
            value, old = sums(now, prefix), sums(before, prefix)
            cells.append(value if before is None or old == value else f"{old} → {value}")
        out.append(f"| **{what}** | " + " | ".join(cells[:-1]) + f" | {cells[-1]} |")
    cited = []
    for prefix in docs:
        size = now["text_lines"][prefix]  # type: ignore[index]
        value = f"{now['lines'][prefix]}/{size}"  # type: ignore[index]
        if before is not None:
            old = f"{before['lines'].get(prefix, 0)}/{size}"  # type: ignore[attr-defined]
            value = value if old == value else f"{old} → {value}"
        cited.append(value)
    out.append("| **lines cited** | " + " | ".join(cited) + " | |")
    return "\n".join(out)


def at_revision(rev: str, into: Path) -> Path:
    archive = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "archive", rev, "ontology"],  # noqa: S607
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)  # noqa: S603, S607
    return into / "ontology"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ontology", nargs="?", default=str(ROOT / "ontology"))
    parser.add_argument(
        "--seeds",
        default=str(ROOT.parent / "shared" / "seeds"),
        help="folder of the seed documents: with it, lines cited count the seed's non-blank lines only",
    )
    parser.add_argument("--before", metavar="REV", help="git revision to compare with (shown as old → new)")
    args = parser.parse_args()
    seeds = Path(args.seeds) if Path(args.seeds).is_dir() else None
    now = count(Path(args.ontology), seeds)
    before = None
    if args.before:
        with tempfile.TemporaryDirectory() as tmp:
            before = count(at_revision(args.before, Path(tmp)), seeds)
    print(table(now, before))
    return 0


if __name__ == "__main__":
    sys.exit(main())
