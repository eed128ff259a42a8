// The explorer: a hash router over a handful of views, each built from the public /v1 API only.
// Every view has its own URL (e.g. #/node/practice:incident-management), so it can be shared.
import { onRelease } from "./api.js";
import { add, clear, errorBox, h } from "./dom.js";
import { hashFor, parseHash } from "./router.js";
import { searchBox } from "./search.js";
import { loadDocuments } from "./sources.js";
import { comparePage } from "./views/compare.js";
import { consolePage } from "./views/console.js";
import { headlinePage } from "./views/headline.js";
import { heatmapPage } from "./views/heatmap.js";
import { homePage } from "./views/home.js";
import { nodePage } from "./views/node.js";
import { pathsPage } from "./views/paths.js";

const ROUTES = {
  "": homePage,
  node: nodePage,
  headline: headlinePage,
  heatmap: heatmapPage,
  compare: comparePage,
  paths: pathsPage,
  console: consolePage,
};

const main = document.getElementById("main");
let first = true;
let generation = 0;

async function render() {
  const { view, rest, params } = parseHash();
  const page = ROUTES[view] || notFound;
  const mine = ++generation;
  // Each render draws into a container of its own: a render still awaiting its data when a newer
  // one starts keeps writing into its own container, which is no longer in the page, instead of
  // adding a second copy of its view beside the newer one.
  const own = h("div", { class: "view" });
  clear(main);
  add(main, own);
  main.setAttribute("aria-busy", "true");
  document.querySelectorAll("nav a").forEach((a) => {
    if (a.getAttribute("href") === `#/${view}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  const isCurrent = () => mine === generation;
  try {
    await page(own, { rest, params, isCurrent });
  } catch (error) {
    if (isCurrent()) add(own, errorBox(error));
  } finally {
    if (isCurrent()) main.removeAttribute("aria-busy");
  }
  if (!isCurrent()) return;
  const heading = own.querySelector("h1");
  if (heading) {
    document.title = `${heading.textContent} · itsm-ontology explorer`;
    if (!first) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    }
  }
  first = false;
}

async function notFound(container) {
  add(container, h("h1", {}, "Not found"), h("p", {}, "No view answers this address. ", h("a", { href: "#/" }, "Start page")));
}

onRelease((tag) => {
  document.getElementById("release").textContent = `release ${tag}`;
});

document.getElementById("search").append(
  searchBox({
    placeholder: "Search practices, roles, skills, SFIA codes…",
    label: "Search the graph",
    onPick: (hit) => (location.hash = hashFor("node", hit.id)),
  }),
);

window.addEventListener("hashchange", render);
loadDocuments()
  .catch(() => null)
  .then(render);
