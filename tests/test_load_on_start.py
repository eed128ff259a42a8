"""`serve --load`: the service loads the ontology on the store it starts, unless the store holds it."""

from __future__ import annotations

from pathlib import Path

from app.graph.lifecycle import load_if_out_of_date
from app.graph.store import GraphStore
from app.settings import Settings
from seed.model import Ontology


def test_a_store_holding_the_release_is_left_alone(store: GraphStore, ontology: Ontology, tmp_path: Path) -> None:
    settings = Settings(store="embedded", data_dir=tmp_path)  # where the fingerprint is remembered
    said = load_if_out_of_date(store, settings)
    assert said.startswith("release ") and ontology.content_hash[:12] in said
    assert said.endswith("already loaded") or "already loaded from these very files" in said
