"""An SVG heat map of practice contributions per value chain activity, from the loaded graph.

Only levels the curated edges carry are drawn; an empty cell means the documents say nothing.
A chain whose activities have no contribution edges of their own (Zero Outage) is drawn through
the activities they align with (ALIGNS_WITH): such a cell shows the strongest level among the
aligned activities, hatched, and its tooltip names them."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import ValueChainEntry
from app.services.value_chain import LEVEL_RANK, all_contributions, value_chains

COLOURS = {"high": "#b2182b", "medium": "#ef8a62", "low": "#fddbc7", "unspecified": "#d1e5f0", "none": "#bdbdbd"}
CELL_W, CELL_H, LEFT, TOP, MARGIN = 120, 22, 300, 100, 20
HEADER_CHARS = 16  # activity names wrap to lines of about this many characters


@dataclass
class Cell:
    level: str
    via: list[str] = field(default_factory=list)  # names of aligned activities, when drawn through them


def _wrap(text: str, width: int = HEADER_CHARS) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [text]


def _levels(store: GraphStore, activity_id: str, source: str | None) -> dict[str, tuple[str, str]]:
    """practice id -> (name, strongest level) for one activity."""
    _, items = all_contributions(store, activity_id, min_level="none", source=source, include_roles=False)
    return {i.practice.id: (i.practice.name, i.level) for i in items}


def heatmap_cells(
    store: GraphStore, value_chain_id: str, source: str | None = None
) -> tuple[ValueChainEntry, dict[tuple[str, str], Cell], dict[str, str], bool]:
    """The chain, its cells by (practice, activity), practice names, and whether it is drawn
    through alignment. NotFound when the chain is unknown."""
    chain = next((c for c in value_chains(store).items if c.id == value_chain_id), None)
    if chain is None:
        raise NotFound("value chain", value_chain_id)
    cells: dict[tuple[str, str], Cell] = {}
    names: dict[str, str] = {}
    for activity in chain.activities:
        for practice_id, (name, level) in _levels(store, activity.id, source).items():
            names[practice_id] = name
            cells[(practice_id, activity.id)] = Cell(level)
    aligned = False
    if not cells:
        aligned = True
        for row in store.read("heatmap/aligned_activities", chain=value_chain_id):
            for practice_id, (name, level) in _levels(store, row["aligned"], source).items():
                names[practice_id] = name
                cell = cells.setdefault((practice_id, row["activity"]), Cell(level))
                if LEVEL_RANK[level] > LEVEL_RANK[cell.level]:
                    cell.level = level
                cell.via.append(f"{row['aligned_name']} ({level})")
    return chain, cells, names, aligned


def heatmap_svg(store: GraphStore, value_chain_id: str = "value-chain:itil", source: str | None = None) -> str:
    chain, cells, names, aligned = heatmap_cells(store, value_chain_id, source)
    activities = chain.activities

    def strength(practice_id: str) -> int:
        return sum(LEVEL_RANK[c.level] for (p, _), c in cells.items() if p == practice_id)

    rows = sorted(names, key=lambda p: (-strength(p), names[p]))
    legend = [*COLOURS.items(), ("not stated", "#ffffff")]
    if aligned:
        legend.append(("through alignment", "url(#aligned)"))
    grid_right = LEFT + CELL_W * len(activities)
    legend_x = [10]  # each entry: swatch, gap, label (about 7 px a character), spacing
    for level, _ in legend:
        legend_x.append(legend_x[-1] + 18 + 7 * len(level) + 18)
    legend_right = legend_x[-1]
    width = max(grid_right, legend_right, 720) + MARGIN
    legend_y = TOP + CELL_H * len(rows) + 25
    height = legend_y + 40 + (20 if not rows else 0)
    title = f"{chain.name}: contribution of each practice (from the texts)"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" role="img">',
        f"<title>{escape(title)}</title>",
        '<defs><pattern id="aligned" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#333" stroke-width="1" '
        'stroke-opacity="0.45"/></pattern></defs>',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="24" font-size="16">{escape(title)}</text>',
    ]
    if aligned:
        out.append(
            '<text x="10" y="44" fill="#444"><tspan x="10" y="44">No practice contributes to these activities '
            'directly: each (hatched) cell shows</tspan><tspan x="10" y="60">the strongest level among the '
            "activities of another chain that it aligns with.</tspan></text>"
        )
    for i, activity in enumerate(activities):
        x = LEFT + i * CELL_W + CELL_W / 2
        lines = _wrap(activity.name)
        first_y = TOP - 10 - 14 * (len(lines) - 1)
        spans = "".join(f'<tspan x="{x}" y="{first_y + 14 * k}">{escape(line)}</tspan>' for k, line in enumerate(lines))
        out.append(f'<text text-anchor="middle">{spans}</text>')
    for j, practice_id in enumerate(rows):
        y = TOP + j * CELL_H
        out.append(f'<text x="{LEFT - 8}" y="{y + 15}" text-anchor="end">{escape(names[practice_id])}</text>')
        for i, activity in enumerate(activities):
            cell = cells.get((practice_id, activity.id))
            fill = COLOURS[cell.level] if cell else "#ffffff"
            label = f"{names[practice_id]} / {activity.name}: {cell.level if cell else 'not stated'}"
            if cell and cell.via:
                label += f" (through {', '.join(cell.via)})"
            x = LEFT + i * CELL_W
            out.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}" stroke="#888">'
                f"<title>{escape(label)}</title></rect>"
            )
            if cell and cell.via:
                out.append(f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="url(#aligned)"/>')
    if not rows:
        out.append(f'<text x="{LEFT}" y="{TOP + 15}" fill="#444">No contribution is recorded for this chain.</text>')
        legend_y += 20
    for k, (level, colour) in enumerate(legend):
        x = legend_x[k]
        out.append(f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="{colour}" stroke="#888"/>')
        out.append(f'<text x="{x + 18}" y="{legend_y + 12}">{level}</text>')
    out.append("</svg>")
    return "\n".join(out)
