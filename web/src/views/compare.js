// Two roles side by side: shared, only-a and only-b competencies (by family) and SFIA skills.
import { getJson } from "../api.js";
import { add, h } from "../dom.js";
import { hashFor } from "../router.js";
import { searchBox } from "../search.js";
import { count, nodeLink } from "./common.js";

function byFamily(items, which) {
  const groups = new Map();
  for (const item of items) {
    const families = which === "shared" ? [...new Set([...item.families_a, ...item.families_b])] : which === "a" ? item.families_a : item.families_b;
    for (const family of families.length ? families : ["unspecified"]) {
      if (!groups.has(family)) groups.set(family, []);
      groups.get(family).push(item);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function column(title, items, which, labelOf) {
  return h(
    "section",
    { class: `compare-col compare-${which}` },
    h("h3", {}, title, " ", h("span", { class: "count" }, items.length)),
    items.length
      ? byFamily(items, which).map(([family, list]) =>
          h("div", { class: "family" }, h("h4", {}, family), h("ul", {}, list.map((i) => h("li", {}, nodeLink({ id: i.id, name: i.name, label: labelOf }))))),
        )
      : h("p", { class: "muted" }, "none"),
  );
}

export async function comparePage(container, { params }) {
  const state = { a: params.a || "", b: params.b || "" };
  const go = () => {
    if (state.a && state.b) location.hash = hashFor("compare", "", state);
  };
  const pickA = searchBox({ label: "Role A", placeholder: "a role, e.g. incident manager", filterLabel: "Role", name: "a", onPick: (hit) => ((state.a = hit.id), go()) });
  const pickB = searchBox({ label: "Role B", placeholder: "another role", filterLabel: "Role", name: "b", onPick: (hit) => ((state.b = hit.id), go()) });
  const result = h("div", { class: "result" });
  add(container, h("h1", {}, "Compare two roles"), h("div", { class: "controls" }, pickA, pickB), result);
  if (state.a && !state.b) pickA.input.value = state.a;
  if (state.b && !state.a) pickB.input.value = state.b;
  if (!state.a || !state.b) {
    add(result, h("p", { class: "muted" }, "Pick two roles. Try ", h("a", { href: hashFor("compare", "", { a: "role:zero-outage:incident-manager", b: "role:zero-outage:problem-manager" }) }, "Incident Manager vs Problem Manager"), "."));
    return;
  }
  const body = await getJson(`roles/${encodeURIComponent(state.a)}/compare/${encodeURIComponent(state.b)}`);
  pickA.input.value = body.a.name;
  pickB.input.value = body.b.name;
  const a = body.a.name;
  const b = body.b.name;
  const c = body.competencies;
  const s = body.skills;
  add(result, h(
      "p",
      { class: "summary-line" },
      nodeLink({ ...body.a, label: "Role" }),
      " and ",
      nodeLink({ ...body.b, label: "Role" }),
      `: ${count(c.shared.length, "shared competency", "shared competencies")}, ${c.only_a.length} only for ${a}, ${c.only_b.length} only for ${b}.`,
    ),
    h("h2", {}, "Competencies"),
    h("div", { class: "compare" }, column("Shared", c.shared, "shared", "Competency"), column(`Only ${a}`, c.only_a, "a", "Competency"), column(`Only ${b}`, c.only_b, "b", "Competency")),
    h("h2", {}, "SFIA skills"),
    s.shared.length + s.only_a.length + s.only_b.length
      ? h("div", { class: "compare" }, column("Shared", s.shared, "shared", "SFIASkill"), column(`Only ${a}`, s.only_a, "a", "SFIASkill"), column(`Only ${b}`, s.only_b, "b", "SFIASkill"))
      : h("p", { class: "muted" }, "Neither role requires a SFIA skill in the graph."),
  );
}
