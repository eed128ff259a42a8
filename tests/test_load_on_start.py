"""`serve --load`: the service loads the ontology on the store it starts, unless the store holds it."""

from __future__ import annotations

from app.graph.lifecycle import load_if_out_of_date
from app.graph.store import GraphStore
from app.settings import Settings
from seed.model import Ontology


def test_a_store_holding_the_release_is_left_alone(store: GraphStore, ontology: Ontology) -> None:
    said = load_if_out_of_date(store, Settings(store="embedded"))
    assert said.startswith("release ") and said.endswith("already loaded") and ontology.content_hash[:12] in said
