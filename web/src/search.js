// An accessible autocomplete (WAI-ARIA combobox) over GET /v1/search: names, aliases, SFIA codes.
// Arrow keys move, Enter opens (or picks), Escape closes.
import { getJson } from "./api.js";
import { debounce, fill, h, nextId } from "./dom.js";
import { colourOf } from "./graph.js";

/**
 * @param {object} options label (visible label text), placeholder, onPick(hit), filterLabel (e.g. "Role"),
 *   value (initial text)
 */
export function searchBox({ label, placeholder, onPick, filterLabel, value = "", name = "q" }) {
  const listId = nextId("list");
  const input = h("input", {
    type: "search",
    id: nextId("search"),
    name,
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    autocomplete: "off",
    placeholder,
    value,
  });
  const list = h("ul", { id: listId, role: "listbox", class: "suggestions", hidden: true });
  let hits = [];
  let active = -1;
  let asked = "";

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index >= 0 && list.children[index]) {
      input.setAttribute("aria-activedescendant", list.children[index].id);
      list.children[index].scrollIntoView({ block: "nearest" });
    }
  };
  const pick = (hit) => {
    close();
    input.value = hit.name;
    onPick(hit);
  };
  const show = () => {
    fill(list, ...hits.map((hit, i) =>
        h(
          "li",
          { id: `${listId}-${i}`, role: "option", "aria-selected": "false", onmousedown: (e) => (e.preventDefault(), pick(hit)) },
          h("span", { class: "dot", style: `background:${colourOf(hit.label)}` }),
          h("span", { class: "hit-name" }, hit.name),
          h("span", { class: "hit-meta" }, `${hit.label} · ${hit.id}`),
        ),
      ),
    );
    if (!hits.length) list.append(h("li", { class: "empty", role: "option", "aria-disabled": "true" }, "no match"));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };
  const ask = debounce(async () => {
    const text = input.value.trim();
    if (!text) return close();
    asked = text;
    try {
      const body = await getJson("search", { q: text, label: filterLabel, limit: 10 });
      if (asked !== text) return; // a newer question is on its way
      hits = body.items;
      show();
      highlight(hits.length ? 0 : -1);
    } catch {
      hits = [];
      close();
    }
  }, 150);

  input.addEventListener("input", ask);
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) return ask();
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight(Math.max(0, Math.min(hits.length - 1, active + step)));
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!list.hidden && hits[active]) pick(hits[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  const wrapper = h("div", { class: "combobox" }, h("label", { for: input.id, class: label ? "" : "sr-only" }, label || placeholder), input, list);
  wrapper.input = input;
  return wrapper;
}
