"""The coverage matrix as a picture: an organisation's roles x the activities of a value chain.

A cell is coloured by the strongest contribution of a practice the role answers for (the heat
map's colours), carries a dot when the role works in the activity itself (PERFORMS_IN), and its
tooltip names the practices. An empty column is an activity nobody in the catalogue covers.
"""

from __future__ import annotations

import textwrap
from html import escape

from app.overlay.models import ActivityCoverage
from app.services.heatmap import COLOURS
from app.services.value_chain import LEVEL_RANK

CELL_W, CELL_H, LEFT, TOP, MARGIN = 120, 24, 240, 110, 20


def matrix_svg(title: str, roles: list[tuple[str, str]], activities: list[ActivityCoverage]) -> str:
    """`roles`: (id, name) rows; `activities`: the coverage of each column, in chain order."""
    width = max(LEFT + CELL_W * len(activities), 720) + MARGIN
    legend_y = TOP + CELL_H * max(len(roles), 1) + 30
    height = legend_y + 60
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" role="img">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="24" font-size="16">{escape(title)}</text>',
        '<text x="10" y="44" fill="#444">Colour: the strongest contribution of a practice the role answers for; '
        "dot: the role works in the activity itself.</text>",
    ]
    for i, column in enumerate(activities):
        x = LEFT + i * CELL_W + CELL_W / 2
        lines = textwrap.wrap(column.activity.name, 16) or [column.activity.name]
        first_y = TOP - 10 - 14 * (len(lines) - 1)
        spans = "".join(f'<tspan x="{x}" y="{first_y + 14 * k}">{escape(line)}</tspan>' for k, line in enumerate(lines))
        colour = "#000" if column.covered else "#b2182b"
        out.append(f'<text text-anchor="middle" fill="{colour}">{spans}</text>')
    for j, (role_id, role_name) in enumerate(roles):
        y = TOP + j * CELL_H
        out.append(f'<text x="{LEFT - 8}" y="{y + 16}" text-anchor="end">{escape(role_name)}</text>')
        for i, column in enumerate(activities):
            mine = [v for v in column.covered_by if v.role.id == role_id]
            levels: list[str] = [lv for v in mine if (lv := v.level) is not None]
            best = max(levels, key=LEVEL_RANK.__getitem__) if levels else None
            direct = any(v.practice is None for v in mine)
            practices = ", ".join(f"{v.practice.name} ({v.level})" for v in mine if v.practice)
            label = f"{role_name} / {column.activity.name}: " + (
                "; ".join(filter(None, ["works in it" if direct else "", practices])) or "not covered"
            )
            x = LEFT + i * CELL_W
            fill = COLOURS[best] if best else "#ffffff"
            out.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}" stroke="#888">'
                f"<title>{escape(label)}</title></rect>"
            )
            if direct:
                out.append(f'<circle cx="{x + CELL_W / 2}" cy="{y + CELL_H / 2}" r="5" fill="#222"/>')
    if not roles:
        out.append(f'<text x="{LEFT}" y="{TOP + 16}" fill="#444">The source has no roles.</text>')
    legend = [(level, COLOURS[level]) for level in ("high", "medium", "low", "unspecified")] + [
        ("not covered", "#ffffff")
    ]
    x = 10
    for level, colour in legend:
        out.append(f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="{colour}" stroke="#888"/>')
        out.append(f'<text x="{x + 18}" y="{legend_y + 12}">{escape(level)}</text>')
        x += 18 + 7 * len(level) + 18
    out.append(f'<circle cx="{x + 7}" cy="{legend_y + 7}" r="5" fill="#222"/>')
    out.append(f'<text x="{x + 18}" y="{legend_y + 12}">works in the activity</text>')
    out.append(
        f'<text x="10" y="{legend_y + 36}" fill="#b2182b">'
        "An activity named in red: no role of the catalogue covers it.</text>"
    )
    out.append("</svg>")
    return "\n".join(out)
