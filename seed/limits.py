"""Bounds the loader holds every file to, so a hostile or broken file costs bounded memory and time
and fails at validation with one line (never at commit, never with a traceback)."""

from __future__ import annotations

from dataclasses import dataclass

# Neo4j and ArcadeDB store 64-bit integers; a larger one would fail at commit.
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1


@dataclass(frozen=True)
class LoadLimits:
    # Bigger files are refused before they are read (ITSM_LOAD_MAX_FILE_BYTES). Reading a file
    # costs about ten times its size in memory while it is validated; split large ontologies.
    max_file_bytes: int = 16 * 1024 * 1024
    # Lengths checked at validation: an id, a `string` property (and every list item), a `text` one.
    max_id_chars: int = 200
    max_string_chars: int = 2_000
    max_text_chars: int = 20_000
    max_list_items: int = 1_000
    # An entry is a mapping of scalars and lists of scalars (depth 4 in its file); deeper is refused.
    max_depth: int = 16
    # YAML aliases may repeat at most this many nodes per file in all (a "billion laughs" stops here).
    max_alias_nodes: int = 10_000
