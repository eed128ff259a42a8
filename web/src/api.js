// The public /v1 API, and nothing else: every view of the explorer is built from these calls, so the
// file doubles as an example client. Errors arrive as RFC 9457 problem documents.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let release = null;
const listeners = [];
export const onRelease = (fn) => listeners.push(fn);

function url(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, item);
  }
  const text = query.toString();
  return `/v1/${path}${text ? `?${text}` : ""}`;
}

async function send(path, params, init) {
  const response = await fetch(url(path, params), init);
  const tag = response.headers.get("X-Ontology-Release");
  if (tag && tag !== release) {
    release = tag;
    listeners.forEach((fn) => fn(tag));
  }
  if (!response.ok) {
    let problem = { title: response.statusText };
    try {
      problem = await response.json();
    } catch {
      /* not a problem document */
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

export const getJson = async (path, params) => (await send(path, params)).json();
export const getText = async (path, params) => (await send(path, params)).text();

export async function postJson(path, body, params, headers = {}) {
  const response = await send(path, params, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return params && params.format === "csv" ? response.text() : response.json();
}

/** Every page of a paginated list (bounded: at most `maxPages` requests). */
export async function getAll(path, params = {}, maxPages = 10) {
  let body = await getJson(path, { ...params, limit: 200 });
  const items = [...body.items];
  for (let page = 1; body.next && page < maxPages; page++) {
    body = await getJson(path, { ...params, limit: 200, cursor: body.next });
    items.push(...body.items);
  }
  return { ...body, items };
}

const cache = new Map();
/** GETs that do not change within a release (schema, value chains, saved queries). */
export function cached(path, params) {
  const key = url(path, params);
  if (!cache.has(key)) cache.set(key, getJson(path, params).catch((e) => (cache.delete(key), Promise.reject(e))));
  return cache.get(key);
}
