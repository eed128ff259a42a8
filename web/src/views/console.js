// The analyst console: the read-only Cypher endpoint, with the saved queries as a menu; results as
// a table, and the same answer as CSV for download.
import { getAll, postJson } from "../api.js";
import { add, field, fill, h, select } from "../dom.js";
import { replaceParams } from "../router.js";

function cellText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") {
    if (value.id && value.labels) return `(${value.labels.join(":")} ${value.id})`;
    return JSON.stringify(value);
  }
  return String(value);
}

function coerce(type, text) {
  if (text === "") return undefined;
  if (type === "int") return Number.parseInt(text, 10);
  if (type === "float") return Number.parseFloat(text);
  if (type === "bool") return text === "true";
  if (type.startsWith("list[")) return text.split(",").map((t) => (type === "list[int]" ? Number.parseInt(t, 10) : t.trim()));
  return text;
}

export async function consolePage(container, { params }) {
  const saved = (await getAll("queries")).items;
  const state = { query: params.query || "" };
  const menu = select([["", "(write your own)"], ...saved.map((q) => [q.name, q.name])], state.query, { name: "query" });
  const about = h("p", { class: "query-about" });
  const inputs = h("div", { class: "query-params" });
  const text = h("textarea", { name: "cypher", rows: 8, spellcheck: "false" });
  const limit = h("input", { type: "number", name: "limit", min: 1, value: 100 });
  const key = h("input", { type: "password", name: "api_key", autocomplete: "off", value: sessionStorage.getItem("itsm-api-key") || "" });
  const output = h("div", { class: "result", "aria-live": "polite" });
  const current = () => saved.find((q) => q.name === menu.value);

  function showQuery() {
    const q = current();
    state.query = menu.value;
    replaceParams("console", "", state);
    fill(inputs, );
    about.textContent = q ? q.description : "Any read-only Cypher statement; $name parameters are not bound here.";
    text.value = q ? q.cypher : text.value || "MATCH (p:Practice) RETURN p.id AS id, p.name AS name ORDER BY name";
    for (const p of q ? q.parameters : []) {
      const input = h("input", { name: `param-${p.name}`, value: p.default ?? "", required: p.required, dataset: { type: p.type, name: p.name } });
      add(inputs, field(`${p.name} (${p.type}${p.required ? ", required" : ""})`, input, p.description));
    }
  }

  async function run(format) {
    const q = current();
    const headers = key.value ? { "X-API-Key": key.value } : {};
    if (key.value) sessionStorage.setItem("itsm-api-key", key.value);
    const parameters = {};
    for (const input of inputs.querySelectorAll("input")) {
      const v = coerce(input.dataset.type, input.value);
      if (v !== undefined) parameters[input.dataset.name] = v;
    }
    const edited = !q || text.value.trim() !== q.cypher.trim();
    const query = format ? { format } : undefined;
    const body = { limit: Number(limit.value) || undefined, parameters };
    return edited ? postJson("cypher", { ...body, query: text.value }, query, headers) : postJson(`queries/${encodeURIComponent(q.name)}`, body, query, headers);
  }

  async function show() {
    fill(output, h("p", { class: "muted" }, "Running…"));
    try {
      const result = await run();
      fill(output, h("p", { class: "summary-line" }, h("strong", { class: "count" }, `${result.row_count} rows`), ` in ${Math.round(result.elapsed_ms)} ms`, result.truncated ? ` (truncated by ${result.truncated_by}, limit ${result.limit})` : ""),
        h(
          "div",
          { class: "table-scroll" },
          h(
            "table",
            { class: "data results" },
            h("thead", {}, h("tr", {}, result.columns.map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, result.rows.map((row) => h("tr", {}, row.map((v) => h("td", {}, cellText(v)))))),
          ),
        ),
      );
    } catch (error) {
      fill(output, h("div", { class: "error", role: "alert" }, h("strong", {}, error.problem?.title || "Error"), " ", error.message));
    }
  }

  async function download() {
    try {
      const csv = await run("csv");
      const link = h("a", { href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })), download: `${menu.value || "query"}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (error) {
      fill(output, h("div", { class: "error", role: "alert" }, error.message));
    }
  }

  menu.addEventListener("change", showQuery);
  add(container, h("h1", {}, "Analyst console"),
    h("p", {}, "Read-only Cypher on the graph (POST /v1/cypher), or one of the saved queries (POST /v1/queries/{name}). Writes are refused."),
    h(
      "form",
      { class: "console", onsubmit: (e) => (e.preventDefault(), show()) },
      field("Saved query", menu),
      about,
      inputs,
      field("Cypher", text),
      h("div", { class: "controls" }, field("Row limit", limit), field("API key (only if the server asks for one)", key)),
      h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Run"), h("button", { type: "button", onclick: download }, "Download CSV")),
    ),
    output,
  );
  showQuery();
  if (state.query && params.run) await show();
}
