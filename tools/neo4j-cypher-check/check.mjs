// Lints Cypher with Neo4j's own front end: the parser and semantic analysis of the Neo4j
// query compiler, compiled to JavaScript, shipped in @neo4j-cypher/language-support.
// No server is involved, so this proves "Neo4j 5 can parse and analyse it", not "it plans".
//
// stdin:  {"schema": {labels, relationshipTypes, propertyKeys},
//          "queries": [{"name", "text", "parameters": [names]}]}
// stdout: [{"name", "diagnostics": [{"severity": "error"|"warning"|..., "message", "line", "column"}],
//           "rules": [grammar rules in the parse tree], "procedures": [names after CALL]}]
//         (line and column count from 1; "rules" lets the tests compare the ad-hoc gate's verdict
//         with what Neo4j's own grammar sees in a query)
//
// Built-in functions and procedures come from the package's snapshot of a Neo4j server's
// catalogue; plugin namespaces (apoc, gds, ...) are removed, so a query that needs a plugin is
// reported as calling an unknown function or procedure.
import { getDebugTree, lintCypherQuery, testData } from '@neo4j-cypher/language-support';
import { readFileSync } from 'node:fs';

const VERSION = 'CYPHER 5';
const PLUGIN = /^(apoc|gds|genai|bloom|ai)\./i;
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function builtins(registry) {
  const all = registry?.[VERSION] ?? {};
  return { [VERSION]: Object.fromEntries(Object.entries(all).filter(([name]) => !PLUGIN.test(name))) };
}

// Parser rule names start lower-case; leaves are the query's own tokens.
function leaves(tree) {
  return tree.children?.length ? tree.children.flatMap(leaves) : [tree.name];
}

function shape(text) {
  const rules = new Set();
  const procedures = [];
  const walk = (tree) => {
    if (!tree.children?.length) return;
    rules.add(tree.name);
    if (tree.name === 'procedureName') procedures.push(leaves(tree).join(''));
    tree.children.forEach(walk);
  };
  walk(getDebugTree(text));
  return { rules: [...rules].sort(), procedures };
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const catalogue = testData.mockSchema;
const base = {
  defaultLanguage: VERSION,
  labels: input.schema.labels,
  relationshipTypes: input.schema.relationshipTypes,
  propertyKeys: input.schema.propertyKeys,
  functions: builtins(catalogue.functions),
  procedures: builtins(catalogue.procedures),
};

const out = input.queries.map(({ name, text, parameters }) => {
  const declared = Object.fromEntries((parameters ?? []).map((p) => [p, null]));
  const { diagnostics } = lintCypherQuery(text, { ...base, parameters: declared });
  return {
    name,
    ...shape(text),
    diagnostics: diagnostics.map((d) => ({
      severity: SEVERITY[d.severity] ?? String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    })),
  };
});
process.stdout.write(JSON.stringify(out));
