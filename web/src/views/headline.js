// The headline question: which practices contribute to an activity, at which level, on what
// evidence, and which roles answer for each. Zero Outage phases are answered through the ITIL
// activities they align with (the crosswalk), when the API offers it.
import { ApiError, getAll, getJson } from "../api.js";
import { add, field, fill, h, select } from "../dom.js";
import { replaceParams } from "../router.js";
import { documentOptions, sourceList } from "../sources.js";
import { activitySelect, basisBadge, count, LEVELS, levelBadge, nodeLink, table } from "./common.js";

const RANK = { high: 4, medium: 3, low: 2, unspecified: 1, none: 0 };

/** The activities another chain's activity aligns with (ALIGNS_WITH, either way), from its node page. */
async function alignedActivities(activity) {
  const detail = await getJson(`nodes/${encodeURIComponent(activity)}`);
  const links = [...(detail.relationships.out.ALIGNS_WITH || []), ...(detail.relationships.in.ALIGNS_WITH || [])];
  return links.filter((c) => c.node.label === "ValueChainActivity").map((c) => ({ ...c.node, basis: c.properties.basis, rationale: c.properties.rationale }));
}

/** Contributions to the activities `activity` aligns with, merged per practice (strongest level,
 * every statement as evidence with the activity it was made for). */
async function throughAlignment(activity, params) {
  const targets = await alignedActivities(activity);
  const answers = await Promise.all(targets.map((t) => getAll(`value-chain/${encodeURIComponent(t.id)}/practices`, params)));
  const merged = new Map();
  answers.forEach((answer, i) => {
    for (const item of answer.items) {
      const known = merged.get(item.practice.id);
      const evidence = item.evidence.map((e) => ({ ...e, via: targets[i] }));
      if (!known) {
        merged.set(item.practice.id, { ...item, evidence, roles: item.roles ? [...item.roles] : item.roles });
        continue;
      }
      known.evidence.push(...evidence);
      known.sources = [...new Set([...known.sources, ...item.sources])].sort();
      if (RANK[item.level] > RANK[known.level]) Object.assign(known, { level: item.level, level_cue: item.level_cue, summary: item.summary });
      for (const role of item.roles || []) if (!known.roles.some((r) => r.id === role.id)) known.roles.push(role);
    }
  });
  const items = [...merged.values()].sort((a, b) => RANK[b.level] - RANK[a.level] || a.practice.name.localeCompare(b.practice.name));
  items.forEach((item) => item.evidence.sort((a, b) => RANK[b.level] - RANK[a.level]));
  return { items, total: items.length, via: targets };
}

/** The practices contributing to an activity. A Zero Outage phase has no contribution edges of its
 * own: it is answered through the ITIL activities it aligns with, by the API's crosswalk
 * (`aligned=true`) where the server has it, else by joining the alignment here. */
export async function contributionsFor(activity, { minLevel, source, roles = true }) {
  const params = { min_level: minLevel, source, include: roles ? "roles" : null };
  const direct = await getAll(`value-chain/${encodeURIComponent(activity)}/practices`, params);
  if (direct.items.length || !activity.startsWith("activity:zero-outage:")) return { ...direct, aligned: false };
  try {
    const crosswalk = await getAll(`value-chain/${encodeURIComponent(activity)}/practices`, { ...params, aligned: "true" });
    if (crosswalk.items.length) return { ...crosswalk, aligned: true };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 422)) throw error;
  }
  return { ...direct, ...(await throughAlignment(activity, params)), aligned: true };
}

export function evidenceList(evidence) {
  return h(
    "ul",
    { class: "evidence" },
    evidence.map((e) =>
      h(
        "li",
        {},
        levelBadge(e.level),
        e.level_cue ? ` “${e.level_cue}” ` : " ",
        e.summary ? h("span", {}, e.summary) : null,
        e.via ? h("span", { class: "muted" }, ` (said of ${e.via.name || e.via.id || e.via})`) : null,
        sourceList(e.sources),
      ),
    ),
  );
}

export function roleList(roles = []) {
  if (!roles.length) return h("span", { class: "muted" }, "no role recorded");
  return h("ul", { class: "roles" }, roles.map((r) => h("li", {}, nodeLink({ ...r, label: "Role" }), " ", basisBadge(r.basis, r.rationale))));
}

export async function headlinePage(container, { params }) {
  const state = {
    activity: params.activity || "activity:itil:deliver-and-support",
    min_level: params.min_level || "unspecified",
    source: params.source || "",
  };
  const activity = await activitySelect(state.activity, { name: "activity" });
  const level = select(LEVELS.map((l) => [l, l]), state.min_level, { name: "min_level" });
  const source = select([["", "all documents"], ...documentOptions()], state.source, { name: "source" });
  const result = h("div", { class: "result", "aria-live": "polite" });
  add(container, h("h1", {}, "Which practices contribute, and who covers them?"),
    h(
      "form",
      { class: "controls", onsubmit: (e) => e.preventDefault() },
      field("Value chain activity", activity),
      field("Minimum level", level, "high > medium > low > unspecified > none"),
      field("Source document", source),
    ),
    result,
  );
  async function draw() {
    state.activity = activity.value;
    state.min_level = level.value;
    state.source = source.value;
    replaceParams("headline", "", state);
    fill(result, h("p", { class: "muted" }, "Loading…"));
    const body = await contributionsFor(state.activity, { minLevel: state.min_level, source: state.source || null });
    const name = body.activity.name;
    const rows = body.items.map((item) =>
      h(
        "tr",
        {},
        h("th", { scope: "row" }, nodeLink(item.practice)),
        h("td", {}, levelBadge(item.level), item.level_cue ? h("div", { class: "cue" }, `“${item.level_cue}”`) : null),
        h(
          "td",
          {},
          item.summary ? h("p", {}, item.summary) : null,
          h("details", {}, h("summary", {}, count(item.evidence.length, "statement")), evidenceList(item.evidence)),
        ),
        h("td", {}, roleList(item.roles)),
      ),
    );
    fill(result, h(
        "p",
        { class: "summary-line" },
        h("strong", { class: "count" }, count(body.total, "practice")),
        ` contribute to ${name} at ${state.min_level} or above`,
        state.source ? ` (only what ${state.source} states)` : "",
        body.aligned
          ? ` — through the activities it aligns with${body.via ? ` (${body.via.map((v) => `${v.name}, ${v.basis || "stated"}`).join("; ")})` : ""}`
          : "",
        ".",
      ),
      body.items.length
        ? table(["Practice", "Level", "Evidence", "Roles responsible"], rows, { class: "data headline" })
        : h("p", { class: "muted" }, "No practice is recorded for this activity at this level."),
    );
  }
  [activity, level, source].forEach((s) => s.addEventListener("change", () => draw().catch(show)));
  const show = (error) => fill(result, h("div", { class: "error", role: "alert" }, error.message));
  await draw();
}
