// The neighbourhood and path pictures (Cytoscape.js): node colour by label, inferred links dashed.
import cytoscape from "cytoscape";

export const LABEL_COLOURS = {
  Practice: "#1f77b4",
  Role: "#d62728",
  Competency: "#2ca02c",
  SFIASkill: "#9467bd",
  SFIASkillLevel: "#b294c7",
  ValueChainActivity: "#ff7f0e",
  ValueChain: "#e6550d",
  Framework: "#7f7f7f",
  Process: "#17becf",
  Concept: "#bcbd22",
  ChangeRequest: "#8c564b",
  GuidingPrinciple: "#e377c2",
  Dimension: "#637939",
  SVSComponent: "#843c39",
  ValueStream: "#3182bd",
  ValueStreamStep: "#6baed6",
};
export const colourOf = (label) => LABEL_COLOURS[label] || "#555";

const STYLE = [
  {
    selector: "node",
    style: {
      "background-color": (n) => colourOf(n.data("label")),
      label: "data(name)",
      "font-size": 11,
      color: "#111",
      "text-wrap": "wrap",
      "text-max-width": 120,
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-background-color": "#fff",
      "text-background-opacity": 0.8,
      "text-background-padding": 1,
      width: 18,
      height: 18,
    },
  },
  { selector: "node.root", style: { width: 28, height: 28, "border-width": 3, "border-color": "#111" } },
  { selector: "node.expanded", style: { "border-width": 2, "border-color": "#444" } },
  { selector: "node:selected", style: { "overlay-opacity": 0.15 } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "line-color": "#888",
      "target-arrow-color": "#888",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      label: "",
      "font-size": 9,
      color: "#555",
      "text-rotation": "autorotate",
      "text-background-color": "#fff",
      "text-background-opacity": 0.8,
    },
  },
  { selector: "edge.inferred", style: { "line-style": "dashed", "line-color": "#c0392b", "target-arrow-color": "#c0392b" } },
  { selector: "edge.labelled", style: { label: "data(type)" } },
  { selector: "edge:selected, edge.hover", style: { width: 3, label: "data(type)", "z-index": 10 } },
];

export function createGraph(container) {
  return cytoscape({ container, style: STYLE, elements: [], wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 3 });
}

export function nodeElement(node, classes = "") {
  return { group: "nodes", data: { id: node.id, name: node.name, label: node.label }, classes };
}

export function edgeElement(start, end, type, properties = {}) {
  const basis = properties.basis || "";
  return {
    group: "edges",
    data: { id: `${type}:${start}->${end}${properties.key ? `#${properties.key}` : ""}`, source: start, target: end, type, properties },
    classes: basis === "inferred" ? "inferred" : "",
  };
}

/** Concentric rings by distance from the root node(s); paths read left to right (breadthfirst). */
export function relayout(cy, name = "concentric", roots = cy.nodes(".root")) {
  if (name === "breadthfirst") {
    cy.layout({ name, roots, directed: false, spacingFactor: 1.2, animate: false, padding: 20 }).run();
    return notTooClose(cy);
  }
  const depth = {};
  if (roots.length) cy.elements().bfs({ roots, directed: false, visit: (v, e, u, i, d) => void (depth[v.id()] = d) });
  const deepest = Math.max(0, ...Object.values(depth));
  cy.layout({
    name: "concentric",
    concentric: (n) => deepest + 1 - (depth[n.id()] ?? deepest + 1),
    levelWidth: () => 1,
    minNodeSpacing: cy.nodes().length < 20 ? 80 : 40,
    avoidOverlap: true,
    animate: false,
    padding: 24,
  }).run();
  notTooClose(cy);
}

/** A small graph fitted to the box would be drawn huge: keep labels at about their CSS size. */
function notTooClose(cy, most = 1.1) {
  if (cy.zoom() > most) {
    cy.zoom(most);
    cy.center();
  }
}
