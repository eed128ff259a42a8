// Heat maps of one value chain: practice x activity (contribution levels) and role x activity
// (coverage). Every cell is a button; choosing it shows the evidence behind it below the map.
import { getAll } from "../api.js";
import { add, field, fill, h, select } from "../dom.js";
import { replaceParams } from "../router.js";
import { documentOptions, sourceList } from "../sources.js";
import { basisBadge, count, LEVELS, levelBadge, nodeLink, table, valueChains } from "./common.js";
import { contributionsFor, evidenceList, roleList } from "./headline.js";

const RANK = { high: 4, medium: 3, low: 2, unspecified: 1, none: 0 };

function cellButton(level, label, marker, onclick) {
  return h(
    "button",
    { type: "button", class: `cell level-${level || "blank"}`, "aria-label": label, title: label, onclick },
    marker || h("span", { class: "sr-only" }, level || "not stated"),
  );
}

async function practiceMatrix(chain, source) {
  const columns = await Promise.all(
    chain.activities.map((a) => contributionsFor(a.id, { minLevel: "none", source: source || null })),
  );
  const practices = new Map();
  const cells = new Map();
  columns.forEach((column, i) => {
    for (const item of column.items) {
      practices.set(item.practice.id, item.practice);
      cells.set(`${item.practice.id}|${chain.activities[i].id}`, item);
    }
  });
  const strength = (id) => chain.activities.reduce((s, a) => s + (RANK[cells.get(`${id}|${a.id}`)?.level] ?? 0), 0);
  const rows = [...practices.values()].sort((a, b) => strength(b.id) - strength(a.id) || a.name.localeCompare(b.name));
  const alignedColumns = new Set(chain.activities.filter((a, i) => columns[i].aligned).map((a) => a.id));
  return { rows, cells, aligned: alignedColumns.size > 0, alignedColumns };
}

function practiceEvidence(item, activity) {
  return [
    h("h2", {}, item.practice.name, " → ", activity.name),
    h("p", {}, levelBadge(item.level), item.level_cue ? ` “${item.level_cue}”` : "", " ", nodeLink(item.practice)),
    item.summary ? h("p", {}, item.summary) : null,
    h("h3", {}, `Evidence (${count(item.evidence.length, "statement")})`),
    evidenceList(item.evidence),
    h("h3", {}, "Roles responsible"),
    roleList(item.roles),
  ];
}

function roleEvidence(row, cell, activity) {
  return [
    h("h2", {}, row.role.name, " → ", activity.name),
    h("p", {}, nodeLink({ ...row.role, label: "Role" }), row.role.kind ? ` (${row.role.kind})` : ""),
    cell.performs_in
      ? h(
          "div",
          {},
          h("h3", {}, "Works in the activity ", basisBadge(cell.performs_in, cell.performs_in_rationale)),
          cell.performs_in_rationale ? h("p", { class: "rationale" }, cell.performs_in_rationale) : null,
          sourceList(cell.performs_in_sources),
        )
      : null,
    cell.practices.length
      ? h(
          "div",
          {},
          h("h3", {}, `Answers for ${count(cell.practices.length, "contributing practice")}`),
          h(
            "ul",
            { class: "evidence" },
            cell.practices.map((p) =>
              h(
                "li",
                {},
                nodeLink(p.practice),
                " ",
                levelBadge(p.level),
                " ",
                basisBadge(p.basis, p.rationale),
                p.responsibility ? h("span", { class: "tag" }, p.responsibility) : null,
                p.via && p.via.length ? h("span", { class: "muted" }, ` (contributes to ${p.via.map((v) => v.name).join(", ")})`) : null,
                sourceList(p.sources),
              ),
            ),
          ),
        )
      : null,
  ];
}

export async function heatmapPage(container, { params }) {
  const chains = await valueChains();
  const state = {
    chain: params.chain || chains[0].id,
    view: params.view === "roles" ? "roles" : "practices",
    source: params.source || "",
    row: params.row || "",
    aligned: params.aligned === "0" ? "0" : "",
    activity: params.activity || "",
  };
  const chainSelect = select(chains.map((c) => [c.id, c.name]), state.chain, { name: "chain" });
  const viewSelect = select([["practices", "practice x activity"], ["roles", "role x activity"]], state.view, { name: "view" });
  const source = select([["", "all documents"], ...documentOptions()], state.source, { name: "source" });
  const alignedBox = h("input", { type: "checkbox", name: "aligned", checked: state.aligned !== "0" });
  const alignedField = h("div", { class: "field check" }, h("label", {}, alignedBox, " roles through aligned activities"));
  const svgLink = h("a", { class: "svg-link" }, "Download the practice map as SVG");
  const map = h("div", { class: "heatmap-wrap", "aria-live": "polite" });
  const evidence = h("section", { class: "evidence-panel", id: "evidence", "aria-live": "polite", tabindex: "-1" });
  add(container, h("h1", {}, "Heat maps"),
    h(
      "form",
      { class: "controls", onsubmit: (e) => e.preventDefault() },
      field("Value chain", chainSelect),
      field("Map", viewSelect),
      field("Source document", source),
      alignedField,
      svgLink,
    ),
    h("div", { class: "heatmap-layout" }, map, evidence),
  );

  const remember = () => replaceParams("heatmap", "", state);
  function choose(button, row, activity, content) {
    map.querySelectorAll("button.cell[aria-pressed]").forEach((b) => b.removeAttribute("aria-pressed"));
    button.setAttribute("aria-pressed", "true");
    state.row = row;
    state.activity = activity.id;
    remember();
    fill(evidence, ...content());
    if (evidence.getBoundingClientRect().top > window.innerHeight) evidence.scrollIntoView({ block: "start" });
  }

  // A newer draw (a control changed while this one awaited its data) wins: an older one that
  // finishes later draws nothing.
  let drawing = 0;
  async function draw() {
    const mine = ++drawing;
    Object.assign(state, { chain: chainSelect.value, view: viewSelect.value, source: source.value, aligned: alignedBox.checked ? "" : "0" });
    alignedField.hidden = state.view !== "roles";
    const chain = chains.find((c) => c.id === state.chain) || chains[0];
    svgLink.href = `/v1/value-chain/${encodeURIComponent(chain.id)}/heatmap.svg${state.source ? `?source=${state.source}` : ""}`;
    remember();
    fill(map, h("p", { class: "muted" }, "Loading…"));
    fill(evidence, );
    const header = h("tr", {}, h("th", { scope: "col" }, state.view === "roles" ? "Role" : "Practice"), chain.activities.map((a) => h("th", { scope: "col" }, a.name)));
    let body;
    let caption;
    let pending = null;
    let aligned = false;
    if (state.view === "practices") {
      const matrix = await practiceMatrix(chain, state.source);
      if (mine !== drawing) return;
      const { rows, cells, alignedColumns } = matrix;
      aligned = matrix.aligned;
      caption = `${count(rows.length, "practice")} x ${count(chain.activities.length, "activity", "activities")} of ${chain.name}: contribution levels from the texts` + (aligned ? ", through the ITIL activities each phase aligns with" : "");
      body = rows.map((practice) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, nodeLink(practice)),
          chain.activities.map((a) => {
            const item = cells.get(`${practice.id}|${a.id}`);
            const via = item && alignedColumns.has(a.id) ? [...new Set(item.evidence.map((e) => e.via?.name).filter(Boolean))] : [];
            const label = `${practice.name} / ${a.name}: ${item ? item.level : "not stated"}${via.length ? ` (through ${via.join(", ")})` : ""}`;
            if (!item) return h("td", {}, cellButton(null, label, null, null));
            const button = cellButton(item.level, label, null, () => choose(button, practice.id, a, () => practiceEvidence(item, a)));
            if (alignedColumns.has(a.id)) button.classList.add("aligned");
            if (state.row === practice.id && state.activity === a.id) pending = button;
            return h("td", {}, button);
          }),
        ),
      );
    } else {
      const coverage = await getAll(`value-chain/${encodeURIComponent(chain.id)}/role-coverage`, {
        source: state.source || null,
        aligned: state.aligned === "0" ? null : "true",
      });
      if (mine !== drawing) return;
      caption = `${count(coverage.items.length, "role")} x ${count(chain.activities.length, "activity", "activities")} of ${chain.name}: strongest contribution of the practices each role answers for${state.aligned === "0" ? "" : " (or for practices of the activities each one aligns with; hatched when only those)"}; ● works in the activity (stated), ○ (inferred)`;
      body = coverage.items.map((row) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, nodeLink({ ...row.role, label: "Role" })),
          chain.activities.map((a) => {
            const cell = row.cells.find((c) => c.activity === a.id);
            if (!cell) return h("td", {}, cellButton(null, `${row.role.name} / ${a.name}: not covered`, null, null));
            const marker = cell.performs_in ? (cell.performs_in === "stated" ? "●" : "○") : null;
            const label = `${row.role.name} / ${a.name}: ${cell.level ? `practices up to ${cell.level}` : "no practice"}${cell.performs_in ? `, works in it (${cell.performs_in})` : ""}`;
            const button = cellButton(cell.level || "performs", label, marker, () => choose(button, row.role.id, a, () => roleEvidence(row, cell, a)));
            if (cell.practices.length && cell.practices.every((p) => p.via && p.via.length)) {
              button.classList.add("aligned");
              aligned = true;
            }
            if (state.row === row.role.id && state.activity === a.id) pending = button;
            return h("td", {}, button);
          }),
        ),
      );
    }
    const legend = h(
      "ul",
      { class: "legend" },
      [...LEVELS, "blank"].map((l) => h("li", {}, h("span", { class: `swatch level-${l}` }), l === "blank" ? "not stated" : l)),
      state.view === "roles" ? h("li", {}, h("span", { class: "swatch level-performs" }), "works in it, no practice") : null,
      aligned ? h("li", {}, h("span", { class: "swatch aligned" }), "through an aligned activity") : null,
    );
    fill(
      map,
      body.length
        ? [legend, h("table", { class: "heatmap" }, h("caption", {}, caption), h("thead", {}, header), h("tbody", {}, body))]
        : h("p", { class: "muted" }, `Nothing recorded for ${chain.name}${state.source ? ` in ${state.source}` : ""}.`),
    );
    fill(evidence, h("p", { class: "muted" }, "Choose a cell to see the evidence behind it."));
    if (pending) pending.click();
  }
  [chainSelect, viewSelect, source, alignedBox].forEach((s) =>
    s.addEventListener("change", () => {
      state.row = state.activity = "";
      draw();
    }),
  );
  await draw();
}
