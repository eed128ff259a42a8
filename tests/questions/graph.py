"""Graph lookups the question tests share: each runs read-only Cypher through the `cypher` fixture
(or asks the API through `client`) and returns plain ids, so a test states only what the text says."""


def in_ordered(cypher, parent_id, kind=None):
    """Ids of the nodes PART_OF `parent_id` with an order (of one `kind` if given), sorted by it."""
    rows = cypher(
        "MATCH (c)-[p:PART_OF]->({id:$id}) WHERE p.order IS NOT NULL AND ($kind IS NULL OR c.kind = $kind) "
        "RETURN c.id AS id, p.order AS ord",
        id=parent_id,
        kind=kind,
    )
    return [r["id"] for r in sorted(rows, key=lambda r: r["ord"])]


def related(cypher, node_id, kind, direction="out"):
    """Ids at the other end of the RELATED_TO edges of one `kind`, leaving (out) or reaching (in) the node."""
    arrow = "-[r:RELATED_TO]->(m)" if direction == "out" else "<-[r:RELATED_TO]-(m)"
    rows = cypher(
        f"MATCH ({{id:$id}}){arrow} WHERE r.kind = $kind RETURN m.id AS id",
        id=node_id,
        kind=kind,
    )
    return {r["id"] for r in rows}


def basis_of(cypher, a, b):
    """(basis, rationale) of the one relationship from `a` to `b`."""
    rows = cypher("MATCH ({id:$a})-[r]->({id:$b}) RETURN r.basis AS basis, r.rationale AS rationale", a=a, b=b)
    assert len(rows) == 1, rows
    return rows[0]["basis"], rows[0]["rationale"]


def search_ids(client, q):
    return [i["id"] for i in client.get("/v1/search", params={"q": q}).json()["items"]]
