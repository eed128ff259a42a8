// Sources are "<seed file>:<first>-<last>"; /v1/schema names each document and gives its title.
import { cached } from "./api.js";
import { h } from "./dom.js";

let documents = {};
export async function loadDocuments() {
  const schema = await cached("schema");
  documents = Object.fromEntries(Object.entries(schema.documents).map(([key, doc]) => [doc.file, { key, ...doc }]));
  return schema;
}

export const documentOptions = () =>
  Object.values(documents).map((doc) => [doc.key, `${doc.file.slice(0, 3)} ${doc.title}`]);

export function describeSource(source) {
  const match = /^(.+):(\d+)-(\d+)$/.exec(source);
  if (!match) return { title: source, lines: "" };
  const [, file, first, last] = match;
  const doc = documents[file];
  return {
    file,
    key: doc ? doc.key : file,
    title: doc ? doc.title : file,
    lines: first === last ? `line ${first}` : `lines ${first}-${last}`,
  };
}

/** A list of sources: document title, its number and the line range, the raw value on hover. */
export function sourceList(sources = []) {
  if (!sources.length) return h("span", { class: "muted" }, "no source");
  return h(
    "ul",
    { class: "sources" },
    sources.map((s) => {
      const d = describeSource(s);
      return h("li", { title: s }, h("cite", {}, d.title), ` (${(d.file || "").slice(0, 3)}), ${d.lines}`);
    }),
  );
}
