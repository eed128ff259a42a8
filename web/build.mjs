// Bundles the explorer (src/) with its npm libraries into ../app/web/static/, copies the Swagger UI
// and ReDoc bundles next to it, and writes build.json: a hash of every input, which a Python test
// compares with the sources so a stale bundle cannot be committed unnoticed.
// Run with `make web` (or `npm ci && npm run build` in web/). No file it writes loads anything
// from another host.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "app", "web", "static");
const vendor = join(out, "vendor");
mkdirSync(vendor, { recursive: true });

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// The same recipe as tests/test_explorer_static.py: sha256 over "path\0content\0" of each input.
export function inputsHash() {
  const inputs = [...files(join(here, "src")), join(here, "build.mjs"), join(here, "package-lock.json")]
    .map((path) => relative(here, path).split("\\").join("/"))
    .sort();
  const hash = createHash("sha256");
  for (const name of inputs) {
    hash.update(name + "\0");
    hash.update(readFileSync(join(here, name)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const common = { bundle: true, minify: true, legalComments: "external", target: ["es2020"], logLevel: "warning" };
await esbuild.build({ ...common, entryPoints: [join(here, "src", "main.js")], format: "esm", outfile: join(out, "explorer.js") });
await esbuild.build({ ...common, entryPoints: [join(here, "src", "explorer.css")], outfile: join(out, "explorer.css") });
copyFileSync(join(here, "src", "index.html"), join(out, "index.html"));
copyFileSync(join(here, "src", "favicon.svg"), join(out, "favicon.svg"));

const copies = {
  "swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui-bundle.js",
  "swagger-ui-dist/swagger-ui.css": "swagger-ui.css",
  "swagger-ui-dist/LICENSE": "swagger-ui.LICENSE.txt",
  "redoc/bundles/redoc.standalone.js": "redoc.standalone.js",
  "redoc/bundles/redoc.standalone.js.LICENSE.txt": "redoc.standalone.LICENSE.txt",
  "redoc/LICENSE": "redoc.LICENSE.txt",
};
// Loads from other hosts hard-coded in the vendored bundles, replaced at copy time (the browser
// tests fail on any request to another host, so a new one shows up there).
const offline = [
  // ReDoc's sidebar badge image; a blank inline picture instead.
  ["https://cdn.redoc.ly/redoc/logo-mini.svg", "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"],
];
// Source map comments dropped: the maps are not shipped, and a browser would ask for them.
for (const [from, to] of Object.entries(copies)) {
  let text = readFileSync(join(here, "node_modules", from), "utf8");
  for (const [remote, local] of offline) text = text.split(remote).join(local);
  writeFileSync(join(vendor, to), text.replace(/\n?\/[/*][#@] sourceMappingURL=[^\n]*\s*$/, ""));
}

const versions = Object.fromEntries(
  ["cytoscape", "swagger-ui-dist", "redoc", "esbuild"].map((name) => [
    name,
    JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8")).version,
  ]),
);
writeFileSync(join(out, "build.json"), JSON.stringify({ inputs_sha256: inputsHash(), versions }, null, 2) + "\n");
console.log(`explorer built into ${relative(process.cwd(), out)} (${JSON.stringify(versions)})`);
