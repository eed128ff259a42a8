// Paths from one node to another, drawn, with each link's evidence on click where the API gives it.
import { getJson } from "../api.js";
import { add, field, fill, h, select } from "../dom.js";
import { createGraph, edgeElement, nodeElement, relayout } from "../graph.js";
import { hashFor } from "../router.js";
import { searchBox } from "../search.js";
import { sourceList } from "../sources.js";
import { basisBadge, count, nodeLink } from "./common.js";

/** Each link's properties (basis, rationale, sources, ...): from the path answer where the API gives
 * them, else from the start node's relationships (GET /v1/nodes/{id}; one request per start node). */
async function addEvidence(paths) {
  const missing = [...new Set(paths.flatMap((p) => p.relationships.filter((r) => !r.sources && !r.properties).map((r) => r.start)))];
  const details = new Map(await Promise.all(missing.map(async (id) => [id, await getJson(`nodes/${encodeURIComponent(id)}`)])));
  for (const r of paths.flatMap((p) => p.relationships)) {
    if (r.sources || r.properties) continue;
    const match = (details.get(r.start)?.relationships.out[r.type] || []).find((c) => c.node.id === r.end);
    if (match) r.properties = match.properties;
  }
}

export async function pathsPage(container, { params }) {
  const state = { from: params.from || "", to: params.to || "", max_hops: params.max_hops || "4" };
  const go = () => {
    if (state.from && state.to) location.hash = hashFor("paths", "", state);
  };
  const from = searchBox({ label: "From", placeholder: "start node", name: "from", onPick: (hit) => ((state.from = hit.id), go()) });
  const to = searchBox({ label: "To", placeholder: "end node", name: "to", onPick: (hit) => ((state.to = hit.id), go()) });
  const hops = select(["1", "2", "3", "4", "5", "6"].map((n) => [n, n]), state.max_hops, { name: "max_hops" });
  hops.addEventListener("change", () => ((state.max_hops = hops.value), go()));
  const result = h("div", { class: "result" });
  add(container, h("h1", {}, "Paths between two nodes"), h("div", { class: "controls" }, from, to, field("Longest path (hops)", hops)), result);
  if (state.from && !state.to) from.input.value = state.from;
  if (!state.from || !state.to) {
    add(result, h("p", { class: "muted" }, "Pick two nodes. Try ", h("a", { href: hashFor("paths", "", { from: "role:zero-outage:incident-manager", to: "activity:itil:deliver-and-support" }) }, "Zero Outage Incident Manager to Deliver and support"), "."));
    return;
  }
  const [body, a, b] = await Promise.all([
    getJson("paths", { from: state.from, to: state.to, max_hops: state.max_hops }),
    getJson(`nodes/${encodeURIComponent(state.from)}`),
    getJson(`nodes/${encodeURIComponent(state.to)}`),
  ]);
  from.input.value = a.name;
  to.input.value = b.name;
  const names = new Map();
  body.paths.forEach((p) => p.nodes.forEach((n) => names.set(n.id, n)));
  await addEvidence(body.paths);
  const info = h("div", { class: "graph-info", "aria-live": "polite" }, h("p", { class: "muted" }, "Click a link to see its evidence."));
  const canvas = h("div", { class: "graph paths", id: "graph", role: "img", "aria-label": `Paths from ${a.name} to ${b.name}` });
  add(result, h("p", { class: "summary-line" }, h("strong", { class: "count" }, count(body.paths.length, "path")), ` from ${a.name} to ${b.name} within ${state.max_hops} hops.`),
  );
  if (!body.paths.length) return;
  add(result, canvas,
    info,
    h(
      "ol",
      { class: "path-list" },
      body.paths.map((p) =>
        h(
          "li",
          {},
          p.nodes.map((n, i) => {
            const r = p.relationships[i];
            if (!r) return nodeLink(n);
            const forward = r.start === n.id;
            return [nodeLink(n), h("span", { class: "rel-type" }, forward ? ` -${r.type}-> ` : ` <-${r.type}- `), " ", basisBadge(r.basis || r.properties?.basis, r.rationale || r.properties?.rationale)];
          }),
        ),
      ),
    ),
  );
  const cy = createGraph(canvas);
  for (const n of names.values()) cy.add(nodeElement(n, n.id === state.from || n.id === state.to ? "root" : ""));
  for (const p of body.paths) {
    for (const r of p.relationships) {
      const props = { ...(r.properties || {}), ...Object.fromEntries(["basis", "rationale", "sources", "level"].filter((k) => r[k] !== undefined).map((k) => [k, r[k]])) };
      const edge = edgeElement(r.start, r.end, r.type, props);
      edge.classes += " labelled";
      if (cy.getElementById(edge.data.id).empty()) cy.add(edge);
    }
  }
  relayout(cy, "breadthfirst", cy.getElementById(state.from));
  window.explorerGraph = cy;
  cy.on("mouseover", "edge", (event) => event.target.addClass("hover"));
  cy.on("mouseout", "edge", (event) => event.target.removeClass("hover"));
  cy.on("tap mouseover", "edge", (event) => {
    const e = event.target;
    const p = e.data("properties") || {};
    fill(info, h("h3", {}, `${names.get(e.data("source"))?.name} `, h("span", { class: "rel-type" }, e.data("type")), ` ${names.get(e.data("target"))?.name}`),
      h("p", {}, basisBadge(p.basis, p.rationale), p.level ? ` level ${p.level}` : ""),
      p.rationale ? h("p", { class: "rationale" }, p.rationale) : null,
      p.sources ? sourceList(p.sources) : h("p", { class: "muted" }, "Open either node to see this link's sources."),
    );
  });
}
