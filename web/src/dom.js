// A tiny DOM helper instead of a framework: h("a", {href: "#/"}, "text", child) builds elements.
// Attributes starting with "on" become listeners; `false`, null and undefined children are skipped.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let uid = 0;
export const nextId = (prefix) => `${prefix}-${++uid}`;

/** A labelled form control: the label's `for` points at the control. */
export function field(label, control, hint) {
  if (!control.id) control.id = nextId("f");
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hint && h("small", {}, hint));
}

export function select(options, value, attrs = {}) {
  return h(
    "select",
    attrs,
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)),
  );
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** A problem document (or any error) as an alert box. */
export function errorBox(error) {
  const problem = error.problem || {};
  return h(
    "div",
    { class: "error", role: "alert" },
    h("strong", {}, problem.title || "Something went wrong"),
    " ",
    problem.detail || error.message,
  );
}


/** el.append / el.replaceChildren that skip null, undefined and false (the DOM would print "null"). */
export const add = (el, ...children) => append(el, children);
export const fill = (el, ...children) => append(clear(el), children);
