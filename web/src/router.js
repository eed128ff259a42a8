// Addresses of the views: "#/<view>/<id>?<params>".

/** "#/node/practice:x?depth=2" -> {view: "node", rest: "practice:x", params: {depth: "2"}} */
export function parseHash(hash = location.hash) {
  const text = hash.replace(/^#\/?/, "");
  const [path, query = ""] = text.split("?");
  const [view, ...rest] = path.split("/");
  return { view: view || "", rest: decodeURIComponent(rest.join("/")), params: Object.fromEntries(new URLSearchParams(query)) };
}

export function hashFor(view, rest = "", params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ""));
  const text = query.toString();
  return `#/${view}${rest ? `/${encodeURIComponent(rest).replace(/%3A/g, ":")}` : ""}${text ? `?${text}` : ""}`;
}

/** Update the address for a change a view has already drawn (no re-render). */
export function replaceParams(view, rest, params) {
  history.replaceState(null, "", hashFor(view, rest, params));
}

