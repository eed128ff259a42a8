"""An SVG heat map of practice contributions per value chain activity, from the loaded graph.

Only levels the curated edges carry are drawn; an empty cell means the documents say nothing."""

from __future__ import annotations

from html import escape
from typing import Any

from app.graph.store import GraphStore
from app.services.value_chain import LEVEL_RANK, contributions, value_chains

COLOURS = {"high": "#b2182b", "medium": "#ef8a62", "low": "#fddbc7", "unspecified": "#d1e5f0", "none": "#bdbdbd"}
CELL_W, CELL_H, LEFT, TOP = 120, 22, 300, 90


def heatmap_svg(store: GraphStore, value_chain_id: str = "value-chain:itil", source: str | None = None) -> str:
    chain = next((c for c in value_chains(store) if c["id"] == value_chain_id), None)
    if chain is None:
        raise KeyError(value_chain_id)
    activities = chain["activities"]
    cells: dict[tuple[str, str], str] = {}
    names: dict[str, str] = {}
    for activity in activities:
        found = contributions(store, activity["id"], min_level="none", source=source, include_roles=False)
        for item in found[1] if found else []:
            practice: dict[str, Any] = item["practice"]
            names[practice["id"]] = practice["name"]
            cells[(practice["id"], activity["id"])] = item["level"]
    rows = sorted(
        names, key=lambda p: (-sum(LEVEL_RANK[cells.get((p, a["id"]), "none")] for a in activities), names[p])
    )
    width, height = LEFT + CELL_W * len(activities) + 20, TOP + CELL_H * len(rows) + 60
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="24" font-size="16">{escape(chain["name"])}: '
        "contribution of each practice (from the texts)</text>",
    ]
    for i, activity in enumerate(activities):
        x = LEFT + i * CELL_W + CELL_W / 2
        out.append(f'<text x="{x}" y="{TOP - 10}" text-anchor="middle">{escape(activity["name"])}</text>')
    for j, practice_id in enumerate(rows):
        y = TOP + j * CELL_H
        out.append(f'<text x="{LEFT - 8}" y="{y + 15}" text-anchor="end">{escape(names[practice_id])}</text>')
        for i, activity in enumerate(activities):
            level = cells.get((practice_id, activity["id"]))
            fill = COLOURS[level] if level else "#ffffff"
            out.append(
                f'<rect x="{LEFT + i * CELL_W}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}" stroke="#888">'
                f"<title>{escape(names[practice_id])} / {escape(activity['name'])}: "
                f"{level or 'not stated'}</title></rect>"
            )
    legend_y = TOP + CELL_H * len(rows) + 25
    for k, (level, colour) in enumerate([*COLOURS.items(), ("not stated", "#ffffff")]):
        x = LEFT + k * 95
        out.append(f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="{colour}" stroke="#888"/>')
        out.append(f'<text x="{x + 18}" y="{legend_y + 12}">{level}</text>')
    out.append("</svg>")
    return "\n".join(out)
