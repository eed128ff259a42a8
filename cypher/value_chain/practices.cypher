// The headline question: which practices contribute to a value chain activity, how strongly, and
// which roles are responsible for each (and how: the RESPONSIBLE_FOR kind). $activity: activity id;
// $source: seed file name or null (keeps only contributions the document states). No row when the
// activity is unknown.
// Maps are written as literals: ArcadeDB mishandles a map projection nested in a map literal.
MATCH (a:ValueChainActivity {id: $activity})
RETURN a {.id, .name, .description, .sources, label: 'ValueChainActivity'} AS activity,
       [(p:Practice)-[c:CONTRIBUTES_TO]->(a)
          WHERE $source IS NULL OR any(s IN c.sources WHERE s STARTS WITH $source + ':')
          | {practice: {id: p.id, name: p.name, category: p.category, label: 'Practice'},
             contribution: {level: c.level, level_cue: c.level_cue, summary: c.summary, sources: c.sources},
             roles: [(p)<-[x:RESPONSIBLE_FOR]-(r:Role)
                     | {id: r.id, name: r.name, kind: r.kind, label: 'Role', basis: x.basis, rationale: x.rationale,
                        responsibility: x.kind}]}
       ] AS contributions
