// The start page: what the graph holds and the questions it answers, one click away.
import { cached } from "../api.js";
import { add, h } from "../dom.js";
import { colourOf } from "../graph.js";
import { hashFor } from "../router.js";

export async function homePage(container) {
  const schema = await cached("schema");
  const labels = schema.labels.filter((l) => l.count > 0);
  const nodes = labels.reduce((sum, l) => sum + l.count, 0);
  const relationships = schema.relationship_types.reduce((sum, t) => sum + t.count, 0);
  add(container, h("h1", {}, "Explore ITIL 4, Zero Outage and SFIA as one graph"),
    h(
      "p",
      { class: "lead" },
      `${nodes} nodes and ${relationships} relationships from ${Object.keys(schema.documents).length} documents; every fact cites its document and lines. Search above, or start from a question:`,
    ),
    h(
      "ul",
      { class: "cards" },
      [
        ["Which practices contribute to Deliver and support, and who covers them?", hashFor("headline", "", { activity: "activity:itil:deliver-and-support", min_level: "high" })],
        ["Practice x activity heat map of the ITIL value chain", hashFor("heatmap", "", { chain: "value-chain:itil" })],
        ["Which roles cover which Zero Outage phase?", hashFor("heatmap", "", { chain: "value-chain:zero-outage", view: "roles" })],
        ["What does an Incident Manager need that a Problem Manager lacks?", hashFor("compare", "", { a: "role:zero-outage:incident-manager", b: "role:zero-outage:problem-manager" })],
        ["How does the Zero Outage Incident Manager reach Deliver and support?", hashFor("paths", "", { from: "role:zero-outage:incident-manager", to: "activity:itil:deliver-and-support" })],
        ["Incident management, its neighbours and evidence", hashFor("node", "practice:incident-management")],
        ["Run a saved query in the analyst console", hashFor("console", "", { query: "practices-for-activity" })],
      ].map(([text, href]) => h("li", {}, h("a", { href }, text))),
    ),
    h("h2", {}, "What the graph holds"),
    h(
      "ul",
      { class: "label-counts" },
      labels.map((l) =>
        h("li", { title: l.doc || "" }, h("span", { class: "dot", style: `background:${colourOf(l.name)}`, "aria-hidden": "true" }), `${l.name} `, h("strong", {}, l.count)),
      ),
    ),
  );
}
