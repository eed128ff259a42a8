// The crosswalk layer: every relationship whose two ends belong to no common framework.
// A node belongs to a framework when it is that Framework, is PART_OF it (directly or through its
// chain, practice, skill or stream, up to 5 hops), or cites a document of that framework.
// $documents: [{file, framework}] from ontology/schema.yaml; $types: relationship types or null;
// $basis: stated, inferred or null (a relationship without basis counts as stated); $kind: the
// relationship's kind or null. The service orients, filters by framework, sorts and pages.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($basis IS NULL OR coalesce(r.basis, 'stated') = $basis)
  AND ($kind IS NULL OR r.kind = $kind)
WITH a, r, b,
     CASE WHEN a:Framework THEN [a.id]
          ELSE [(a)-[:PART_OF*1..5]->(f:Framework) | f.id]
               + [d IN $documents WHERE any(s IN coalesce(a.sources, []) WHERE s STARTS WITH d.file + ':') | d.framework]
     END AS fa,
     CASE WHEN b:Framework THEN [b.id]
          ELSE [(b)-[:PART_OF*1..5]->(f:Framework) | f.id]
               + [d IN $documents WHERE any(s IN coalesce(b.sources, []) WHERE s STARTS WITH d.file + ':') | d.framework]
     END AS fb
WHERE size(fa) > 0 AND size(fb) > 0 AND none(x IN fa WHERE x IN fb)
RETURN r.id AS id, type(r) AS type, r.kind AS kind, coalesce(r.basis, 'stated') AS basis,
       r.rationale AS rationale, r.level AS level, r.sources AS sources,
       a.id AS start_id, a.name AS start_name, [l IN labels(a) WHERE l <> 'Entity'][0] AS start_label, fa AS start_frameworks,
       b.id AS end_id, b.name AS end_name, [l IN labels(b) WHERE l <> 'Entity'][0] AS end_label, fb AS end_frameworks
