"""Measure the organisation overlay at scale, without a store: validating an import of N roles, and
the answers computed in Python over the release's role profiles (similar roles, suggestions for every
own role, communities, a transition).

python -m bench.overlay [--roles 10 100 1000] [--out bench/results/overlay.json]

The organisation is examples/acme grown to N roles (each copy of an Acme role with its requirements,
names numbered). The profiles are built from the assembled ontology the way cypher/overlay/*.cypher
reads them from a store, so the figures are the service's work after its once-per-release read.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from app.overlay import communities, similarity, transition
from app.overlay.profiles import Profiles
from seed.importers.assemble import stage_import
from seed.model import Ontology
from seed.validate import read_ontology

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "acme"


def grow(folder: Path, n: int) -> tuple[Path, Path]:
    """roles.csv and skills.csv with n roles, copies of Acme's (career steps kept within a copy)."""
    with (ACME / "roles.csv").open(encoding="utf-8") as fh:
        roles = list(csv.DictReader(fh))
    with (ACME / "skills.csv").open(encoding="utf-8") as fh:
        skills = list(csv.DictReader(fh))
    out_roles, out_skills = [], []
    for k in range(n):
        base = roles[k % len(roles)]
        copy = k // len(roles)
        suffix = "" if copy == 0 else f"-{copy}"
        ids = {r["id"] for r in roles}
        steps = "; ".join(s.strip() + suffix for s in base["progresses_to"].split(";") if s.strip() in ids)
        out_roles.append(
            {
                **base,
                "id": base["id"] + suffix,
                "name": base["name"] + (f" {copy}" if copy else ""),
                "aliases": "" if copy else base["aliases"],
                "progresses_to": steps,
            }
        )
        out_skills += [{**s, "role": s["role"] + suffix} for s in skills if s["role"] == base["id"]]
    kept = {r["id"] for r in out_roles}
    for row in out_roles:
        row["progresses_to"] = "; ".join(s for s in row["progresses_to"].split("; ") if s in kept)
    paths = folder / "roles.csv", folder / "skills.csv"
    for path, rows in zip(paths, (out_roles, out_skills), strict=True):
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return paths


def profile_rows(ontology: Ontology) -> Profiles:
    """What cypher/overlay/roles.cypher, equivalences.cypher, skill_links.cypher and sfia_skills.cypher return."""
    nodes = ontology.nodes
    out: dict[str, dict[str, Any]] = {}
    for node in nodes.values():
        if node.label == "Role":
            out[node.id] = {
                "id": node.id,
                "name": node.properties["name"],
                "aliases": node.properties.get("aliases"),
                "kind": node.properties["kind"],
                "competencies": [],
                "skills": [],
                "responsibilities": [],
                "activities": [],
                "mappings": [],
                "next_roles": [],
            }
    eq, links = [], []
    for rel in ontology.relationships.values():
        end = nodes[rel.end]
        item = {"id": end.id, "name": end.properties["name"], "label": end.label, "sources": rel.properties["sources"]}
        row = out.get(rel.start)
        if row is not None:
            if rel.type == "REQUIRES" and end.label == "Competency":
                row["competencies"].append(
                    {**item, "family": rel.properties.get("family"), "level": rel.properties.get("level")}
                )
            elif rel.type == "REQUIRES":
                row["skills"].append({**item, "code": end.properties["code"], "level": rel.properties.get("level")})
            elif rel.type == "RESPONSIBLE_FOR":
                row["responsibilities"].append({**item, "kind": rel.properties.get("kind")})
            elif rel.type == "PERFORMS_IN":
                row["activities"].append(item)
            elif rel.type == "MAPS_TO":
                row["mappings"].append({**item, "kind": rel.properties.get("kind")})
            elif rel.type == "RELATED_TO" and rel.properties.get("kind") == "career-step":
                row["next_roles"].append(end.id)
        labels = {nodes[rel.start].label, end.label}
        same = labels <= {"Competency", "SFIASkill"} or labels == {"ValueChainActivity"}
        if rel.type in ("MAPS_TO", "ALIGNS_WITH") and rel.properties.get("kind") != "related-competency" and same:
            eq.append({"a": rel.start, "b": rel.end})
        if rel.type == "MAPS_TO" and "SFIASkill" in labels and labels & {"Practice", "Competency"}:
            skill, other = (nodes[rel.start], end) if nodes[rel.start].label == "SFIASkill" else (end, nodes[rel.start])
            links.append({"skill": skill.id, "id": other.id, "name": other.properties["name"], "label": other.label})
    skills = [
        {"id": n.id, "code": n.properties["code"], "name": n.properties["name"]}
        for n in nodes.values()
        if n.label == "SFIASkill"
    ]
    return Profiles(list(out.values()), eq, links, skills)


def timed(work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def measure(n: int, framework: Ontology) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roles_csv, skills_csv = grow(folder, n)
        organisations = folder / "organisations"
        (organisations / "bench").mkdir(parents=True)
        validate_roles, _ = timed(
            lambda: stage_import(ROOT / "ontology", organisations, "bench", roles_csv, framework=framework)
        )
        roles_csv.rename(organisations / "bench" / "roles.csv")
        validate_skills, ontology = timed(
            lambda: stage_import(ROOT / "ontology", organisations, "bench", skills_csv, framework=framework)
        )
    build, profiles = timed(lambda: profile_rows(ontology))
    own = profiles.of_source("bench")
    similar, _ = timed(lambda: similarity.ranked(profiles, own[0], limit=50))
    suggest, _ = timed(lambda: [similarity.role_suggestions(profiles, r, 5) for r in own])
    comm, found = timed(lambda: communities.communities(profiles))
    first, last = profiles.get("role:bench:ops-engineer-1"), profiles.get("role:bench:ops-team-lead")
    trans, answer = timed(lambda: transition.transition(profiles, first.id, last.id))
    return {
        "roles": n,
        "all_roles": len(profiles.roles),
        "validate_roles_csv_s": round(validate_roles, 3),
        "validate_skills_csv_s": round(validate_skills, 3),
        "profiles_s": round(build, 3),
        "similar_one_role_s": round(similar, 4),
        "suggestions_every_own_role_s": round(suggest, 3),
        "communities_s": round(comm, 3),
        "communities": len(found),
        "transition_first_s": round(trans, 3),
        "transition_steps": len(answer.steps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roles", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "overlay.json")
    args = parser.parse_args()
    framework = read_ontology(ROOT / "ontology")
    results = []
    for n in args.roles:
        figures = measure(n, framework)
        results.append(figures)
        print(", ".join(f"{k} {v}" for k, v in figures.items()), flush=True)
    document = {"machine": platform.platform(), "python": platform.python_version(), "results": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
