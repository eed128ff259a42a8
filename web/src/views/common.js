// Small pieces every view uses: links to node pages, level and basis badges, the value chains.
import { cached } from "../api.js";
import { h } from "../dom.js";
import { colourOf } from "../graph.js";
import { hashFor } from "../router.js";

export const LEVELS = ["high", "medium", "low", "unspecified", "none"];
export const LEVEL_TEXT = {
  high: "high",
  medium: "medium",
  low: "low",
  unspecified: "unspecified (involved, strength not given)",
  none: "none (explicitly excluded)",
};

export function nodeLink(node) {
  return h(
    "a",
    { href: hashFor("node", node.id), class: "node-link", title: `${node.label || ""} ${node.id}`.trim() },
    node.label ? h("span", { class: "dot", style: `background:${colourOf(node.label)}`, "aria-hidden": "true" }) : null,
    node.name || node.id,
  );
}

export const levelBadge = (level) => h("span", { class: `level level-${level || "blank"}` }, level || "not stated");

export function basisBadge(basis, rationale) {
  if (!basis) return null;
  return h(
    "span",
    { class: `basis basis-${basis}`, title: rationale ? `${basis}: ${rationale}` : basis, tabindex: rationale ? "0" : null },
    basis,
  );
}

export const valueChains = async () => (await cached("value-chain")).items;

/** <select> options for every activity, grouped by value chain. */
export async function activitySelect(value, attrs = {}) {
  const chains = await valueChains();
  return h(
    "select",
    attrs,
    chains.map((chain) =>
      h(
        "optgroup",
        { label: chain.name },
        chain.activities.map((a) => h("option", { value: a.id, selected: a.id === value }, `${a.name} (${chain.name})`)),
      ),
    ),
  );
}

export const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function table(headers, rows, attrs = {}) {
  return h(
    "table",
    attrs,
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows),
  );
}
