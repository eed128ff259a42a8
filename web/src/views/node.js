// A node: its properties, description, sources, relationships by type and direction, and a
// neighbourhood graph that grows when a node is clicked (filters: type, direction, depth).
import { cached, getJson } from "../api.js";
import { add, field, fill, h, select } from "../dom.js";
import { createGraph, edgeElement, LABEL_COLOURS, nodeElement, relayout } from "../graph.js";
import { hashFor, replaceParams } from "../router.js";
import { sourceList } from "../sources.js";
import { basisBadge, count, levelBadge, nodeLink } from "./common.js";

const HIDDEN = new Set(["name", "description", "sources", "aliases"]);
const GRAPH_LIMIT = 200; // nodes fetched per expansion

function value(v) {
  if (Array.isArray(v)) return v.join(", ");
  if (v && typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function edgeNotes(properties) {
  return [
    properties.level && levelBadge(properties.level),
    properties.family && h("span", { class: "tag" }, properties.family),
    properties.kind && h("span", { class: "tag" }, properties.kind),
    properties.change && h("span", { class: "tag" }, properties.change),
    basisBadge(properties.basis, properties.rationale),
  ];
}

function relationships(detail) {
  const groups = [];
  for (const [direction, title] of [["out", "Outgoing"], ["in", "Incoming"]]) {
    for (const [type, connections] of Object.entries(detail.relationships[direction] || {})) {
      groups.push(
        h(
          "details",
          { class: "rel-group", open: connections.length <= 12 },
          h("summary", {}, `${title} ${type} `, h("span", { class: "muted" }, `(${connections.length})`)),
          h(
            "ul",
            {},
            connections.map((c) =>
              h(
                "li",
                {},
                direction === "out" ? "→ " : "← ",
                nodeLink(c.node),
                " ",
                edgeNotes(c.properties),
                c.properties.rationale ? h("div", { class: "rationale" }, c.properties.rationale) : null,
              ),
            ),
          ),
        ),
      );
    }
  }
  return groups.length ? groups : [h("p", { class: "muted" }, "No relationships.")];
}

/** The other views, asked about this node. */
function quickLinks(detail) {
  const links = [];
  if (detail.label === "ValueChainActivity") links.push(["Which practices contribute, and who covers them?", hashFor("headline", "", { activity: detail.id })]);
  if (detail.label === "Role") links.push(["Compare with another role", hashFor("compare", "", { a: detail.id })]);
  if (detail.label === "Practice") links.push(["Its row in the heat map", hashFor("heatmap", "", { chain: "value-chain:itil" })]);
  links.push(["Paths from here", hashFor("paths", "", { from: detail.id })]);
  return links;
}

export async function nodePage(container, { rest: id, params }) {
  const [detail, schema] = await Promise.all([getJson(`nodes/${encodeURIComponent(id)}`), cached("schema")]);
  const props = Object.entries(detail.properties).filter(([k]) => !HIDDEN.has(k));
  const aliases = detail.properties.aliases || [];
  add(container, h(
      "div",
      { class: "node-head" },
      h("h1", {}, detail.name),
      h("span", { class: "badge", style: `background:${LABEL_COLOURS[detail.label] || "#555"}` }, detail.label),
      h("code", {}, detail.id),
    ),
    aliases.length ? h("p", { class: "aliases" }, "Also called: ", aliases.join("; ")) : null,
    h("ul", { class: "quick-links", "aria-label": "Questions about this node" }, quickLinks(detail).map(([text, href]) => h("li", {}, h("a", { href }, text)))),
    detail.properties.description ? h("p", { class: "description" }, detail.properties.description) : null,
  );
  const graphSection = h("section", { class: "graph-section", "aria-labelledby": "graph-title" });
  const facts = h(
    "div",
    { class: "node-facts" },
    h("section", {}, h("h2", {}, "Properties"), props.length
      ? h("dl", { class: "props" }, props.map(([k, v]) => [h("dt", {}, k), h("dd", {}, value(v))]))
      : h("p", { class: "muted" }, "None besides name and sources.")),
    h("section", {}, h("h2", {}, "Sources"), sourceList(detail.sources)),
    h("section", { class: "relationships" }, h("h2", {}, "Relationships"), relationships(detail)),
  );
  add(container, h("div", { class: "node-layout" }, graphSection, facts));
  neighbourhood(graphSection, detail, schema, params);
}

function neighbourhood(section, detail, schema, params) {
  const state = {
    type: params.type || "",
    direction: params.direction || "both",
    depth: params.depth || "1",
  };
  const types = schema.relationship_types.filter((t) => t.count > 0).map((t) => [t.name, t.name]);
  const typeSelect = select([["", "all types"], ...types], state.type, { name: "type" });
  const directionSelect = select([["both", "both"], ["out", "outgoing"], ["in", "incoming"]], state.direction, { name: "direction" });
  const depthSelect = select([["1", "1"], ["2", "2"], ["3", "3"]], state.depth, { name: "depth" });
  const status = h("p", { class: "graph-status", "aria-live": "polite" });
  const info = h("div", { class: "graph-info", "aria-live": "polite" }, h("p", { class: "muted" }, "Click a node to expand it; click or hover a link to see its evidence."));
  const canvas = h("div", { class: "graph", id: "graph", role: "img", "aria-label": `Neighbourhood graph of ${detail.name}` });
  const legend = h("ul", { class: "legend" });
  add(section, h("h2", { id: "graph-title" }, "Neighbourhood"),
    h(
      "form",
      { class: "controls", onsubmit: (e) => e.preventDefault() },
      field("Relationship type", typeSelect),
      field("Direction", directionSelect),
      field("Depth", depthSelect),
      h("button", { type: "button", onclick: () => reset() }, "Reset"),
    ),
    status,
    canvas,
    legend,
    info,
  );
  const cy = createGraph(canvas);
  const expanded = new Set();

  function drawLegend() {
    const labels = [...new Set(cy.nodes().map((n) => n.data("label")))].sort();
    fill(legend, ...labels.map((l) => h("li", {}, h("span", { class: "dot", style: `background:${LABEL_COLOURS[l] || "#555"}` }), l)),
      h("li", {}, h("span", { class: "line stated" }), "stated"),
      h("li", {}, h("span", { class: "line inferred" }), "inferred"),
    );
  }

  async function expand(id, depth) {
    const body = await getJson(`nodes/${encodeURIComponent(id)}/neighbors`, {
      type: state.type || null,
      direction: state.direction,
      depth,
      limit: GRAPH_LIMIT,
    });
    expanded.add(id);
    const elements = [];
    for (const n of body.items) {
      if (cy.getElementById(n.node.id).empty()) elements.push(nodeElement(n.node));
    }
    cy.add(elements);
    for (const n of body.items) {
      const rel = n.relationship;
      const [start, end] = rel.direction === "out" ? [n.via, n.node.id] : [n.node.id, n.via];
      const edge = edgeElement(start, end, rel.type, rel.properties);
      if (cy.getElementById(edge.data.id).empty() && !cy.getElementById(start).empty() && !cy.getElementById(end).empty()) cy.add(edge);
    }
    cy.getElementById(id).addClass("expanded");
    return body;
  }

  async function reset() {
    state.type = typeSelect.value;
    state.direction = directionSelect.value;
    state.depth = depthSelect.value;
    replaceParams("node", detail.id, { type: state.type, direction: state.direction === "both" ? "" : state.direction, depth: state.depth === "1" ? "" : state.depth });
    cy.elements().remove();
    expanded.clear();
    cy.add(nodeElement(detail, "root"));
    status.textContent = "Loading…";
    try {
      const body = await expand(detail.id, Number(state.depth));
      relayout(cy);
      status.textContent = `${count(cy.nodes().length, "node")}, ${count(cy.edges().length, "link")}` + (body.total > body.items.length ? ` (first ${body.items.length} of ${body.total} neighbours)` : "");
    } catch (error) {
      status.textContent = `Could not load the neighbourhood: ${error.message}`;
    }
    drawLegend();
  }

  function showEdge(edge) {
    const p = edge.data("properties") || {};
    const source = cy.getElementById(edge.data("source")).data();
    const target = cy.getElementById(edge.data("target")).data();
    fill(info, h("h3", {}, `${source.name} `, h("span", { class: "rel-type" }, edge.data("type")), ` ${target.name}`),
      h("p", {}, edgeNotes(p)),
      p.rationale ? h("p", { class: "rationale" }, h("strong", {}, "Rationale: "), p.rationale) : null,
      p.summary ? h("p", {}, p.summary) : null,
      p.level_cue ? h("p", {}, h("strong", {}, "Wording: "), `“${p.level_cue}”`) : null,
      sourceList(p.sources || []),
    );
  }

  cy.on("tap", "node", async (event) => {
    const node = event.target;
    const data = node.data();
    fill(info, h("h3", {}, data.name),
      h("p", {}, data.label, " · ", h("code", {}, data.id)),
      h("p", {}, h("a", { href: hashFor("node", data.id) }, "Open its page")),
    );
    if (expanded.has(data.id)) return;
    status.textContent = `Expanding ${data.name}…`;
    const before = cy.nodes().length;
    try {
      await expand(data.id, 1);
      const added = cy.nodes().length - before;
      if (added) relayout(cy);
      status.textContent = `${count(cy.nodes().length, "node")}, ${count(cy.edges().length, "link")} (${added} added from ${data.name})`;
    } catch (error) {
      status.textContent = `Could not expand: ${error.message}`;
    }
    drawLegend();
  });
  cy.on("mouseover", "edge", (event) => event.target.addClass("hover"));
  cy.on("mouseout", "edge", (event) => event.target.removeClass("hover"));
  cy.on("tap mouseover", "edge", (event) => showEdge(event.target));
  [typeSelect, directionSelect, depthSelect].forEach((s) => s.addEventListener("change", reset));
  section.cy = cy;
  window.explorerGraph = cy; // for the browser tests and the curious
  reset();
}
