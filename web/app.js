// vigil's page for analysts: search, why it matched, entities, lists, batch.
// Plain JavaScript, no libraries, no network but the server it came from.
"use strict";

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k === "style") e.style.cssText = v; // CSSOM: the CSP refuses style attributes
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};

// The session: the cookie is the server's and never readable here; its CSRF
// token goes with every request that is not a GET.
let session = null;

async function getJSON(url, opts = {}) {
  const o = { ...opts, headers: { ...(opts.headers || {}) } };
  if (o.method && o.method !== "GET" && session && session.csrf) o.headers["X-CSRF-Token"] = session.csrf;
  const r = await fetch(url, o);
  const body = await r.json().catch(() => ({ error: "not JSON" }));
  if (r.status === 401 && !url.startsWith("/session")) signIn(body.error);
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function signedIn(s) {
  session = s;
  $("#who").hidden = !s.auth;
  $("#who").textContent = s.auth ? `${s.user} (${s.role})` : "";
  $("#signout").hidden = !s.auth;
  loadVersions();
  route();
}

function signIn(why) {
  session = null;
  $("#who").hidden = $("#signout").hidden = true;
  $("#signin-status").textContent = why || "";
  show("signin");
  $("#signin-key").focus();
}

$("#signin-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  try {
    const s = await getJSON("/session", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ key: $("#signin-key").value.trim() }),
    });
    $("#signin-key").value = "";
    signedIn(s);
  } catch (err) {
    $("#signin-status").textContent = err.message;
  }
});

$("#signout").addEventListener("click", async () => {
  try { await getJSON("/session", { method: "DELETE" }); } catch (err) { /* signed out anyway */ }
  signIn("signed out");
});

// ------------------------------------------------------------------ pages

function show(page) {
  for (const s of document.querySelectorAll("main > section")) s.hidden = s.id !== "page-" + page;
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.page === page);
}

// The address says what is shown: "#/alerts?status=open", "#/search?q=…".
function hashParts() {
  const h = location.hash || "#/search";
  const i = h.indexOf("?");
  return { path: i < 0 ? h : h.slice(0, i), params: new URLSearchParams(i < 0 ? "" : h.slice(i + 1)) };
}

function setHash(path, params, push) {
  const q = params.toString();
  const h = path + (q ? "?" + q : "");
  if (h === location.hash) return;
  if (push) location.hash = h;
  else history.replaceState(null, "", h);
}

function route() {
  if (!session) return;
  const { path, params } = hashParts();
  if (path.startsWith("#/entity/")) {
    show("entity");
    loadEntity(decodeURIComponent(path.slice(9)));
  } else if (path.startsWith("#/alert/")) {
    show("alert");
    loadAlert(decodeURIComponent(path.slice(8)));
  } else if (path === "#/alerts") {
    show("alerts");
    loadQueue(params);
  } else if (path.startsWith("#/customer/")) {
    show("customer");
    loadCustomer(decodeURIComponent(path.slice(11)));
  } else if (path === "#/customers") {
    show("customers");
    loadCustomers(params);
  } else if (path === "#/runs") {
    show("runs");
    loadRuns();
  } else if (path === "#/changes") {
    show("changes");
    loadChanges(params);
  } else if (path === "#/audit") {
    show("audit");
    loadAudit();
  } else if (path === "#/lists") {
    show("lists");
    loadLists();
  } else if (path === "#/batch") {
    show("batch");
  } else {
    show("search");
    fillSearch(params);
    $("#q").focus();
  }
}
window.addEventListener("hashchange", route);

// ---------------------------------------------------------------- search

let timer = null;
let seq = 0;
const SEARCH_FIELDS = { q: "q", dob: "birthDate", country: "country", schema: "schema", list: "list", threshold: "threshold" };
for (const id of Object.keys(SEARCH_FIELDS)) {
  $("#" + id).addEventListener("input", () => {
    // what is on screen belongs to the old query: it goes at once
    $("#results").hidden = true;
    seq++;
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
}
$("#search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  search();
});

// The search the address holds, put in the form and run (a shared link, a reload).
function fillSearch(params) {
  let changed = false;
  for (const [id, key] of Object.entries(SEARCH_FIELDS)) {
    const v = params.get(key) ?? (id === "threshold" ? "0.85" : id === "list" ? "default" : "");
    if ($("#" + id).value !== v) {
      if (id === "list" && ![...$("#list").options].some((o) => o.value === v))
        $("#list").append(el("option", { value: v, text: v }));
      $("#" + id).value = v;
      changed = true;
    }
  }
  if (changed || ($("#q").value && $("#results").hidden)) search();
}

function searchParams() {
  const p = new URLSearchParams();
  for (const [id, key] of Object.entries(SEARCH_FIELDS)) {
    const v = $("#" + id).value.trim();
    if (v && !(id === "list" && v === "default") && !(id === "threshold" && v === "0.85")) p.set(key, v);
  }
  return p;
}

function failure(err) {
  return err instanceof TypeError || !navigator.onLine
    ? "the server cannot be reached (offline?): nothing shown is current"
    : "error: " + err.message;
}

async function search() {
  const q = $("#q").value.trim();
  const mine = ++seq;
  setHash("#/search", searchParams(), false);
  if (!q) {
    $("#results").hidden = true;
    $("#search-status").textContent = "";
    return;
  }
  const t = parseFloat($("#threshold").value);
  const threshold = t >= 0.5 && t <= 1 ? t : 0.85;
  const p = new URLSearchParams({ q, limit: "20", threshold: String(threshold) });
  if ($("#dob").value.trim()) p.set("birthDate", $("#dob").value.trim());
  if ($("#country").value.trim()) p.set("country", $("#country").value.trim());
  if ($("#schema").value) p.set("schema", $("#schema").value);
  const list = $("#list").value || "default";
  $("#results").hidden = true;
  $("#search-status").textContent = "searching…";
  try {
    const t0 = performance.now();
    const res = await getJSON(`/search/${encodeURIComponent(list)}?${p}`);
    if (mine !== seq) return; // a later search is on its way
    renderResults(res.results);
    groupResults(res.results).then((groups) => {
      if (mine === seq && groups.length < res.results.length) renderResults(res.results, groups);
    });
    const alerts = res.results.filter((r) => r.match).length;
    $("#search-status").textContent = res.results.length === 0
      ? `no listed name is like “${q}” (${Math.round(performance.now() - t0)} ms)`
      : `${res.results.length} result${res.results.length === 1 ? "" : "s"}, ${alerts} at or above the threshold ` +
        `${threshold.toFixed(2)} (${Math.round(performance.now() - t0)} ms)`;
  } catch (err) {
    if (mine !== seq) return;
    $("#results").hidden = true;
    $("#search-status").textContent = failure(err);
  }
}

// The same person or company on several lists is one row: the lists link
// their copies of a UN designation by its UN reference, and otherwise two
// entries are one when their primary names have the same words and they
// give the same date of birth (a name alone is not enough: "Mohammed Omar"
// is many people). The entities' fields come from GET /entities.
async function groupResults(results) {
  const docs = await Promise.all(results.map((r) =>
    getJSON("/entities/" + encodeURIComponent(r.id).replace("%3A", ":")).catch(() => null)));
  const parent = results.map((_, i) => i);
  const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const join = (a, b) => { parent[find(b)] = find(a); };
  const seen = new Map();
  results.forEach((r, i) => {
    const d = docs[i] || {};
    const keys = [];
    if (r.datasets[0] === "un") keys.push("un:" + d.source_id);
    for (const ref of d.un_references || []) keys.push("un:" + ref);
    const dob = (d.birth_dates || []).map((b) => (typeof b === "object" ? b.date : b)).filter(Boolean)[0];
    if (dob) keys.push("name:" + r.schema + ":" + r.caption.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").sort().join(" ") + ":" + dob);
    for (const k of keys) {
      if (seen.has(k)) join(seen.get(k), i);
      else seen.set(k, i);
    }
  });
  const groups = new Map();
  results.forEach((r, i) => {
    const g = find(i);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(r);
  });
  return [...groups.values()]; // in the order of each group's best result
}

function renderResults(results, groups) {
  const tb = $("#results tbody");
  tb.replaceChildren();
  for (const members of groups || results.map((r) => [r])) {
    const r = members[0];
    const link = el("a", { href: "#/entity/" + encodeURIComponent(r.id), text: r.caption });
    const why = el("button", { type: "button", class: "why", "aria-expanded": "false", text: "why" });
    const lists = el("td");
    members.forEach((m, k) => {
      if (k) lists.append(el("br"));
      lists.append(el("a", { href: "#/entity/" + encodeURIComponent(m.id), text: m.datasets.join(", ") + " " + m.id.split(":").slice(1).join(":") }));
      if (k) lists.append(el("span", { class: "muted", text: ` ${m.score.toFixed(3)}` }));
    });
    const row = el("tr", { class: r.match ? "match" : "" },
      el("td", {}, scoreBar(r.score, r.match)), el("td", {}, link,
        members.length > 1 ? el("div", { class: "muted small", text: `on ${members.length} lists` }) : ""),
      el("td", { text: r.matched_name }), lists, el("td", { text: r.schema }), el("td", {}, why));
    const detail = el("tr", { class: "detail", hidden: "" },
      el("td", { colspan: "6" }, explain(r.explanations)));
    why.addEventListener("click", () => {
      detail.hidden = !detail.hidden;
      why.setAttribute("aria-expanded", String(!detail.hidden));
    });
    tb.append(row, detail);
  }
  $("#results").hidden = results.length === 0;
}

const HOW = {
  exact: "the same word",
  initial: "an initial of the word",
  "equivalent name": "the same given name in another language or script",
  nickname: "a nickname of it",
  phonetic: "the same consonants (another romanisation or spelling)",
  typo: "one typing error apart",
  spelling: "spelt alike",
  "other reading": "another reading of the same characters",
  "same number": "the same number",
};

// The engine's explanation, in plain words.
function explain(x) {
  const box = el("div", { class: "explain" });
  const n = x.name || {};
  box.append(el("p", {}, el("strong", { text: "Name: " }),
    `${(n.score ?? 0).toFixed(3)} — compared as “${(n.latin || [])[0]}” and “${(n.latin || [])[1]}”` +
    (n.method === "joined" ? ", written as one word" : n.method === "acronym" ? ", as an acronym" : "") +
    (n.weak_alias ? "; a weak alias, which counts less" : "")));
  const ul = el("ul");
  for (const p of n.pairs || [])
    ul.append(el("li", { text: `“${p.a}” and “${p.b}”: ${HOW[p.how] || p.how} (${p.score})` }));
  const [ua, ub] = n.unpaired || [[], []];
  if (ua.length) ul.append(el("li", { text: `not found in the listed name: ${ua.join(", ")}` }));
  if (ub.length) ul.append(el("li", { text: `not in the searched name: ${ub.join(", ")}` + (n.extra_words_weight ? " (costs a little)" : "") }));
  if (n.order_changes) ul.append(el("li", { text: `words in another order (costs ${Math.round(n.order_changes * 50)}%)` }));
  if (n.legal_forms && n.legal_forms.judged !== "not on both sides")
    ul.append(el("li", { text: `legal forms: ${n.legal_forms.judged} (×${n.legal_forms.factor})` }));
  if (n.numbers && n.numbers.judged !== "none")
    ul.append(el("li", { text: `numbers: ${n.numbers.judged} (×${n.numbers.factor})` }));
  box.append(ul);
  const ev = x.evidence || [];
  if (ev.length) {
    const evl = el("ul");
    for (const e of ev) {
      const eff = e.effect === "decisive" ? "decisive" : (e.effect > 0 ? "+" : "") + e.effect;
      evl.append(el("li", { class: e.effect === "decisive" || e.effect > 0 ? "pro" : "con", text: `${e.kind.replace("_", " ")}: ${e.judged} (${eff})` }));
    }
    box.append(el("p", {}, el("strong", { text: "Other evidence:" })), evl);
  } else {
    box.append(el("p", { class: "muted", text: "No date of birth, country, gender or identifier to compare." }));
  }
  return box;
}

// ---------------------------------------------------------------- entity

async function loadEntity(id) {
  const box = $("#entity");
  box.replaceChildren(el("p", { class: "muted", text: "loading…" }));
  try {
    const e = await getJSON("/entities/" + encodeURIComponent(id).replace("%3A", ":"));
    box.replaceChildren(renderEntity(e));
  } catch (err) {
    box.replaceChildren(el("p", { text: "error: " + err.message }));
  }
}

function renderEntity(e) {
  const frag = document.createDocumentFragment();
  const primary = (e.names || []).find((n) => n.kind === "primary") || (e.names || [])[0] || { name: e.source_id };
  frag.append(el("h1", { text: primary.name }),
    el("p", { class: "muted", text: `${e.schema} · ${e.source}:${e.source_id}` }));
  const names = el("table", { class: "plain" }, el("thead", {}, el("tr", {},
    el("th", { text: "Name" }), el("th", { text: "Kind" }), el("th", { text: "Script" }))));
  const nb = el("tbody");
  for (const n of e.names || [])
    nb.append(el("tr", {}, el("td", { text: n.name }), el("td", { text: n.kind.replace("_", " ") }), el("td", { text: n.script || "" })));
  names.append(nb);
  frag.append(el("h2", { text: "Names" }), names);
  const dl = el("dl");
  // the FollowTheMoney form beside vigil's fields repeats them: shown once
  const skip = new Set(["names", "version", "source", "source_id", "schema", "id", "caption", "properties",
    "datasets", "target", "referents", "first_seen", "last_seen", "last_change"]);
  for (const [k, v] of Object.entries(e)) {
    if (skip.has(k)) continue;
    dl.append(el("dt", { text: k.replace(/_/g, " ") }), el("dd", {}, value(k, v)));
  }
  frag.append(el("h2", { text: "Fields" }), dl);
  if ((e.referents || []).length) {
    const ul = el("ul", { class: "flat" });
    for (const r of e.referents) ul.append(el("li", {}, el("a", { href: "#/entity/" + encodeURIComponent(r), text: r })));
    frag.append(el("h2", { text: "The same designation on other lists" }), ul);
  }
  if (e.first_seen)
    frag.append(el("p", { class: "muted", text: `First seen ${fmtDate(e.first_seen)}, last seen ${fmtDate(e.last_seen)}, last changed ${fmtDate(e.last_change)}` }));
  if (e.version) {
    const v = e.version;
    frag.append(el("h2", { text: "List version" }),
      el("p", { text: `${v.source} version ${v.id}, ${v.format}, published ${v.published || "—"}, loaded ${v.loaded_at}` }),
      el("p", { class: "muted small", text: `SHA-256 ${v.sha256}` }));
  }
  return frag;
}

function value(key, v) {
  if (key === "un_references" && Array.isArray(v)) {
    const span = el("span");
    v.forEach((ref, i) => {
      if (i) span.append(", ");
      span.append(el("a", { href: "#/entity/" + encodeURIComponent("un:" + ref), text: ref + " (UN entry)" }));
    });
    return span;
  }
  if (Array.isArray(v)) {
    const ul = el("ul", { class: "flat" });
    for (const x of v) ul.append(el("li", {}, value("", x)));
    return ul;
  }
  if (v && typeof v === "object") {
    return el("span", { text: Object.entries(v).map(([k, x]) => `${k.replace(/_/g, " ")}: ${typeof x === "object" ? JSON.stringify(x) : x}`).join("; ") });
  }
  return el("span", { text: String(v) });
}

// ----------------------------------------------------------------- lists

async function loadLists() {
  const tb = $("#lists tbody");
  try {
    const c = await getJSON("/catalog");
    const screened = new Set(c.screening.map((s) => s.version));
    tb.replaceChildren();
    for (const v of c.versions.slice().reverse())
      tb.append(el("tr", {}, ...[v.id, v.source, v.format, v.published || "—", v.loaded_at, v.entities,
        v.persons, v.organizations, v.vessels, v.airplanes, screened.has(v.id) ? "yes" : ""].map((x) => el("td", { text: String(x) }))));
  } catch (err) {
    tb.replaceChildren(el("tr", {}, el("td", { colspan: "11", text: "error: " + err.message })));
  }
}

async function loadVersions() {
  try {
    const c = await getJSON("/catalog");
    $("#versions").textContent = c.screening.map((s) => `${s.source} ${s.published || "v" + s.version}`).join(" · ");
    $("#list").replaceChildren(el("option", { value: "default", text: "all lists" }));
    for (const s of c.screening) $("#list").append(el("option", { value: s.source, text: s.source }));
    const keep = $("#queue-list").value;
    $("#queue-list").replaceChildren(el("option", { value: "", text: "all lists" }),
      ...c.screening.map((s) => el("option", { value: s.source, text: s.source })));
    $("#queue-list").value = keep;
  } catch (err) {
    $("#versions").textContent = "";
  }
}

// ----------------------------------------------------------------- batch

// A batch's customers kept: imported into the customer base and re-screened,
// so that its hits become alerts in the queue, decided and kept watch over.
let batchFile = null;
$("#batch-keep").addEventListener("click", async () => {
  const line = $("#batch-keep-status");
  if (!batchFile) return;
  $("#batch-keep").disabled = true;
  try {
    const imp = await followTask((await getJSON("/customers/import", { method: "POST", body: batchFile })).id, line, "importing");
    if (imp.summary && imp.summary.error) throw new Error(imp.summary.error);
    const run = await followTask((await getJSON("/runs", { method: "POST" })).id, line, "re-screening");
    if (run.summary && run.summary.error) throw new Error(run.summary.error);
    line.replaceChildren(`${imp.summary.added} added, ${imp.summary.changed} changed; run ${run.summary.run}: ${run.summary.alerts_new} new alert${run.summary.alerts_new === 1 ? "" : "s"} · `,
      el("a", { href: "#/alerts", text: "open the queue" }));
  } catch (err) {
    line.textContent = failure(err);
  }
  $("#batch-keep").disabled = false;
});

$("#batch-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = $("#batch-file").files[0];
  if (!f) return;
  batchFile = f;
  $("#batch-keep-status").textContent = "";
  $("#batch-progress").hidden = false;
  $("#batch-downloads").hidden = true;
  $("#batch-alerts").hidden = true;
  $("#batch-bar").style.width = "0%";
  $("#batch-status").textContent = `uploading ${f.name}…`;
  try {
    const job = await getJSON("/batch", { method: "POST", body: f });
    const t0 = performance.now();
    for (;;) {
      const s = await getJSON("/batch/" + job.id);
      const pct = s.total > 0 ? Math.min(100, Math.round((100 * s.rows) / s.total)) : 100;
      $("#batch-bar").style.width = pct + "%";
      const secs = (performance.now() - t0) / 1000;
      $("#batch-status").textContent = `${s.rows} of ${s.total} records screened` +
        (s.failed ? `, ${s.failed} with errors` : "") + (s.status === "done" ? " — done" : ` (${pct}%)`) +
        (secs > 0.5 ? `, ${Math.round(s.rows / secs)} records/s` : "");
      if (s.status !== "running") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    $("#dl-csv").href = `/batch/${job.id}/results.csv`;
    $("#dl-jsonl").href = `/batch/${job.id}/results.jsonl`;
    $("#batch-downloads").hidden = false;
    const res = await fetch(`/batch/${job.id}/results.jsonl`);
    if (!res.ok) throw new Error("the results could not be read (" + res.status + ")");
    const lines = (await res.text()).split("\n").filter(Boolean);
    const tb = $("#batch-alerts tbody");
    tb.replaceChildren();
    for (const line of lines) {
      const r = JSON.parse(line);
      for (const h of (r.results || []).filter((h) => h.match)) {
        const why = el("button", { type: "button", class: "why", "aria-expanded": "false", text: "why" });
        const detail = el("tr", { class: "detail", hidden: "" }, el("td", { colspan: "7" }, explain(h.explanation || {})));
        why.addEventListener("click", () => { detail.hidden = !detail.hidden; why.setAttribute("aria-expanded", String(!detail.hidden)); });
        tb.append(el("tr", {}, el("td", { text: String(r.row) }),
          el("td", {}, el("span", { text: (r.query || {}).name || r.id || "" }), el("div", { class: "muted small", text: [r.id, (r.query || {}).birth_date && "born " + r.query.birth_date].filter(Boolean).join(" · ") })),
          el("td", {}, scoreBar(h.score, true)), el("td", { text: h.matched_name }),
          el("td", {}, el("a", { href: "#/entity/" + encodeURIComponent(h.source + ":" + h.source_id), text: h.name })),
          el("td", { text: `${h.source} ${h.source_id}` }), el("td", {}, why)), detail);
      }
    }
    $("#batch-alerts").hidden = tb.children.length === 0;
    $("#batch-status").textContent += ` · ${tb.children.length} alert${tb.children.length === 1 ? "" : "s"}`;
  } catch (err) {
    $("#batch-status").textContent = "error: " + err.message;
  }
});

// ----------------------------------------------------------------- cases

const fmtDate = (iso) => (iso ? iso.replace("T", " ").replace("Z", " UTC") : "—");
const STATUS = { open: "open", pending: "pending review", "true-match": "true match", "false-positive": "false positive", delisted: "delisted" };

// Polls a background task (an import, a re-screen) until it ends, telling line how it goes.
async function followTask(id, line, what) {
  const t0 = performance.now();
  for (;;) {
    const t = await getJSON("/tasks/" + id);
    if (t.status !== "running") return t;
    line.textContent = `${what}… ${t.rows ? t.rows + (t.total ? ` of ${t.total}` : "") + " records, " : ""}${Math.round((performance.now() - t0) / 1000)} s`;
    await new Promise((r) => setTimeout(r, 300));
  }
}

// The queue: filters in the address, a page at a time, worked with the keyboard.
let queueRows = [];
let queueSel = -1;
let queueParams = new URLSearchParams();

async function loadQueue(params) {
  queueParams = params;
  $("#queue-status").value = params.get("status") || "open";
  $("#queue-list").value = params.get("list") || "";
  $("#queue-programme").value = params.get("programme") || "";
  $("#queue-score").value = params.get("min_score") || "";
  $("#queue-assignee").value = params.get("assignee") || "";
  const p = new URLSearchParams();
  p.set("status", $("#queue-status").value);
  for (const k of ["list", "programme", "min_score", "offset"]) if (params.get(k)) p.set(k, params.get(k));
  const who = params.get("assignee");
  if (who === "me") p.set("assignee", session.user);
  else if (who === "nobody") p.set("assignee", "");
  p.set("limit", "50");
  const tb = $("#queue tbody");
  tb.replaceChildren();
  $("#queue-status-line").textContent = "loading…";
  try {
    const q = await getJSON("/alerts?" + p);
    queueRows = q.alerts;
    for (const [i, a] of q.alerts.entries()) {
      const tr = el("tr", { tabindex: "-1", "data-id": String(a.id), class: "link" },
        el("td", {}, scoreBar(a.score, a.status === "open" || a.status === "pending")),
        el("td", {}, el("a", { href: `#/alert/${a.id}`, text: a.customer.name || a.customer.id }),
          el("div", { class: "muted small", text: `${a.customer.id}${a.customer.birth_date ? " · born " + a.customer.birth_date : ""}` })),
        el("td", {}, el("span", { text: a.entity.name }), el("div", { class: "muted small", text: `as “${a.matched_name}”` })),
        el("td", { text: `${a.entity.source} ${a.entity.source_id}` }),
        el("td", {}, el("span", { class: "status " + a.status, text: STATUS[a.status] || a.status })),
        el("td", { text: a.assignee || "—" }),
        el("td", { text: a.age_days ? a.age_days + " d" : "today" }));
      tr.addEventListener("click", (e) => { if (e.target.tagName !== "A") location.hash = `#/alert/${a.id}`; });
      tr.addEventListener("focus", () => selectRow(i));
      tb.append(tr);
    }
    const from = q.total ? q.offset + 1 : 0, to = q.offset + q.alerts.length;
    $("#queue-status-line").textContent = q.total
      ? `${q.total} alert${q.total === 1 ? "" : "s"}, strongest first`
      : "no alerts match these filters";
    $("#queue-page").textContent = q.total ? `${from}–${to} of ${q.total}` : "";
    $("#queue-prev").disabled = q.offset === 0;
    $("#queue-next").disabled = to >= q.total;
    selectRow(q.alerts.length ? 0 : -1);
  } catch (err) {
    queueRows = [];
    $("#queue-status-line").textContent = failure(err);
  }
}

function selectRow(i) {
  const rows = $("#queue tbody").children;
  if (queueSel >= 0 && rows[queueSel]) rows[queueSel].classList.remove("sel"), rows[queueSel].removeAttribute("aria-selected");
  queueSel = i;
  if (i >= 0 && rows[i]) rows[i].classList.add("sel"), rows[i].setAttribute("aria-selected", "true");
}

function queuePage(delta) {
  const p = new URLSearchParams(queueParams);
  const off = Math.max(0, (parseInt(p.get("offset") || "0", 10) || 0) + delta * 50);
  if (off) p.set("offset", String(off)); else p.delete("offset");
  setHash("#/alerts", p, true);
}

for (const id of ["queue-status", "queue-list", "queue-programme", "queue-score", "queue-assignee"])
  $("#" + id).addEventListener("change", () => {
    const p = new URLSearchParams();
    if ($("#queue-status").value !== "open") p.set("status", $("#queue-status").value);
    if ($("#queue-list").value) p.set("list", $("#queue-list").value);
    if ($("#queue-programme").value.trim()) p.set("programme", $("#queue-programme").value.trim());
    if ($("#queue-score").value) p.set("min_score", $("#queue-score").value);
    if ($("#queue-assignee").value) p.set("assignee", $("#queue-assignee").value);
    setHash("#/alerts", p, true);
  });
$("#queue-form").addEventListener("submit", (e) => e.preventDefault());
$("#queue-prev").addEventListener("click", () => queuePage(-1));
$("#queue-next").addEventListener("click", () => queuePage(1));

document.addEventListener("keydown", (e) => {
  if ($("#page-alerts").hidden || e.ctrlKey || e.metaKey || e.altKey) return;
  if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) return;
  const rows = $("#queue tbody").children;
  if (e.key === "j" && queueSel < rows.length - 1) selectRow(queueSel + 1), rows[queueSel].focus();
  else if (e.key === "k" && queueSel > 0) selectRow(queueSel - 1), rows[queueSel].focus();
  else if (e.key === "Enter" && queueRows[queueSel]) location.hash = `#/alert/${queueRows[queueSel].id}`;
  else if (e.key === "n" && !$("#queue-next").disabled) queuePage(1);
  else if (e.key === "p" && !$("#queue-prev").disabled) queuePage(-1);
  else return;
  e.preventDefault();
});

function scoreBar(score, alert) {
  return el("div", { class: "score" + (alert ? " alert" : "") },
    el("div", { class: "fill", style: `width:${Math.round(score * 100)}%` }), el("span", { text: score.toFixed(3) }));
}

// Programme codes of an entity, named by their regimes, linked to the official source.
function programmes(source, codes) {
  const ul = el("ul", { class: "flat" });
  for (const code of codes || []) {
    const [name, url] = programmeName(source, code);
    const li = el("li");
    if (url) li.append(el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: name }));
    else li.append(name);
    if (name !== code) li.append(el("span", { class: "muted", text: ` (${code})` }));
    ul.append(li);
  }
  return ul;
}

function fieldList(pairs) {
  const dl = el("dl", { class: "compact" });
  for (const [k, v] of pairs) if (v !== null && v !== undefined && v !== "") dl.append(el("dt", { text: k }), el("dd", {}, v instanceof Node ? v : el("span", { text: String(v) })));
  return dl;
}

function trailTable(trail) {
  const t = el("table", { class: "plain" }, el("thead", {}, el("tr", {}, ...["When", "User", "Action", "Note", "Detail"].map((h) => el("th", { text: h })))));
  const tb = el("tbody");
  for (const x of trail) tb.append(el("tr", {}, el("td", { text: fmtDate(x.at) }), el("td", { text: x.user }), el("td", { text: x.action }), el("td", { text: x.note || "" }), el("td", { text: x.detail || "" })));
  t.append(tb);
  return el("div", { class: "scroll" }, t);
}

async function loadAlert(id) {
  const box = $("#alert");
  box.replaceChildren(el("p", { class: "muted", text: "loading…" }));
  try {
    box.replaceChildren(renderAlert(await getJSON("/alerts/" + encodeURIComponent(id))));
  } catch (err) {
    box.replaceChildren(el("p", { text: failure(err) }));
  }
}

function renderAlert(a) {
  const frag = document.createDocumentFragment();
  const doc = a.entity.document || {};
  frag.append(el("h1", { text: `Alert ${a.id}: ${a.customer.name || a.customer.id} and ${a.entity.name}` }),
    el("p", {}, el("span", { class: "status " + a.status, text: STATUS[a.status] || a.status }),
      ` · score ${a.score.toFixed(3)} · opened ${fmtDate(a.created_at)} · run ${a.run.id}` + (a.assignee ? ` · assigned to ${a.assignee}` : " · not assigned")));
  const c = a.customer;
  const names = (doc.names || []).map((n) => n.name);
  // a held payment's alert (customer "msg:ID"): its explanation is the hit, with the field
  const pay = c.id.startsWith("msg:") ? a.explanation || {} : null;
  const who = pay
    ? el("section", { class: "card", "aria-label": "the payment" }, el("h2", { text: "Payment message" }),
      fieldList([["Message", c.id.slice(4)], ["Hit", pay.kind], ["Field", pay.path], ["Line", pay.line != null ? String(pay.line) : null], ["Party", pay.role], ["Value", pay.value]]))
    : el("section", { class: "card", "aria-label": "the customer" }, el("h2", { text: "Customer" }),
      fieldList([["Id", el("a", { href: "#/customer/" + encodeURIComponent(c.id), text: c.id })], ["Name", c.name], ["Type", c.schema], ["Date of birth", c.birth_date], ["Country", c.country], ["Gender", c.gender], ["Identifier", c.id_number]]));
  const side = el("div", { class: "side" }, who,
    el("section", { class: "card", "aria-label": "the listed entity" }, el("h2", { text: "Listed entity" }),
      fieldList([["List", `${a.entity.source} ${a.entity.source_id} (version ${a.entity.version})`],
        ["Name", el("a", { href: "#/entity/" + encodeURIComponent(a.entity.source + ":" + a.entity.source_id), text: a.entity.name })],
        ["Matched name", a.matched_name], ["Other names", names.filter((n) => n !== a.entity.name).slice(0, 8).join("; ")],
        ["Type", a.entity.schema], ["Born", (doc.birth_dates || []).map((d) => (typeof d === "object" ? d.date || JSON.stringify(d) : d)).join(", ")],
        ["Legal basis", (doc.legal_basis || []).join(", ")], ["Nationality", (doc.nationalities || doc.countries || []).join(", ")],
        ["Programmes", (doc.programmes || []).length ? programmes(a.entity.source, doc.programmes) : null],
        ["Listed on", doc.listed_on]])));
  frag.append(side, el("h2", { text: "Why it matched" }),
    pay && !pay.explanation ? el("p", { text: (pay.reasons || []).join("; ") }) : explain((pay ? pay.explanation : a.explanation) || {}));
  // the decision, or its review
  const form = el("form", { class: "decide", autocomplete: "off" });
  const note = el("textarea", { id: "decide-note", rows: "3", required: "", placeholder: "why: what the evidence shows" });
  const msg = el("p", { role: "status", class: "muted" });
  const post = async (path, body) => {
    try {
      await getJSON(`/alerts/${a.id}/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      loadAlert(a.id);
    } catch (err) { msg.textContent = failure(err); }
  };
  if (a.status === "open") {
    const fe = session.four_eyes;
    form.append(el("h2", { text: fe ? "Propose a decision (another user reviews it)" : "Decide" }),
      el("fieldset", {}, el("legend", { text: "This is" }),
        el("label", { class: "inline" }, el("input", { type: "radio", name: "decision", value: "false-positive", id: "decide-fp" }), " a false positive: another person or company"),
        el("label", { class: "inline" }, el("input", { type: "radio", name: "decision", value: "true-match", id: "decide-tm" }), " a true match: the listed one")),
      el("label", {}, "Note", note),
      el("button", { type: "submit", id: "decide-go", text: fe ? "Propose" : "Decide" }), msg);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const d = form.querySelector("input[name=decision]:checked");
      if (!d) { msg.textContent = "choose true match or false positive"; return; }
      post("decision", { decision: d.value, note: note.value.trim() });
    });
  } else if (a.status === "pending") {
    const p = [...a.decisions].reverse().find((d) => d.state === "proposed") || {};
    form.append(el("h2", { text: "Review the proposal" }),
      el("p", { text: `${p.by} proposes: ${STATUS[p.decision] || p.decision}. “${p.note}”` }));
    if (session.role === "reviewer" || session.role === "admin") {
      if (p.by === session.user) form.append(el("p", { class: "muted", text: "You proposed it: another reviewer decides (four eyes)." }));
      else {
        const approve = el("button", { type: "button", id: "review-approve", text: "Approve" });
        const back = el("button", { type: "button", id: "review-return", class: "secondary", text: "Return to the analyst" });
        approve.addEventListener("click", () => post("review", { approve: true, note: note.value.trim() }));
        back.addEventListener("click", () => post("review", { approve: false, note: note.value.trim() }));
        form.append(el("label", {}, "Note", note), approve, " ", back, msg);
      }
    } else form.append(el("p", { class: "muted", text: "A reviewer approves or returns it." }));
  }
  if (a.status === "open" || a.status === "pending") {
    const mine = el("button", { type: "button", class: "secondary", id: "assign-me", text: a.assignee === session.user ? "Unassign me" : "Assign to me" });
    mine.addEventListener("click", () => post("assign", { to: a.assignee === session.user ? null : session.user }));
    form.append(el("p", {}, mine));
  }
  if (form.children.length) frag.append(form);
  if (a.decisions.length) {
    const ul = el("ul");
    for (const d of a.decisions) ul.append(el("li", { text: `${fmtDate(d.at)}: ${d.by || "—"}: ${STATUS[d.decision] || d.decision} (${d.state}) — ${d.note}` }));
    frag.append(el("h2", { text: "Decisions" }), ul);
  }
  frag.append(el("h2", { text: "Trail" }), trailTable(a.trail || []));
  return frag;
}

// Customers: search, import, one with its alerts.
let customersTimer = null;
$("#customers-q").addEventListener("input", () => {
  clearTimeout(customersTimer);
  customersTimer = setTimeout(() => {
    const p = new URLSearchParams();
    if ($("#customers-q").value.trim()) p.set("q", $("#customers-q").value.trim());
    setHash("#/customers", p, false);
    loadCustomers(p);
  }, 200);
});
$("#customers-form").addEventListener("submit", (e) => e.preventDefault());

async function loadCustomers(params) {
  if ($("#customers-q").value !== (params.get("q") || "")) $("#customers-q").value = params.get("q") || "";
  const tb = $("#customers tbody");
  $("#customers-status").textContent = "loading…";
  try {
    const p = new URLSearchParams({ limit: "100" });
    if (params.get("q")) p.set("q", params.get("q"));
    const r = await getJSON("/customers?" + p);
    tb.replaceChildren();
    for (const c of r.customers)
      tb.append(el("tr", {}, el("td", {}, el("a", { href: "#/customer/" + encodeURIComponent(c.id), text: c.id })),
        el("td", { text: c.name }), el("td", { text: c.birth_date || "" }), el("td", { text: c.country || "" }),
        el("td", { text: String(c.open_alerts) }), el("td", { text: fmtDate(c.updated_at) })));
    $("#customers-status").textContent = r.total ? `${r.total} customer${r.total === 1 ? "" : "s"}${r.total > r.customers.length ? `, the first ${r.customers.length} shown` : ""}` : "no customers match";
  } catch (err) {
    tb.replaceChildren();
    $("#customers-status").textContent = failure(err);
  }
}

$("#import-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = $("#import-file").files[0];
  if (!f) return;
  const line = $("#import-status");
  line.textContent = `uploading ${f.name}…`;
  try {
    const task = await getJSON("/customers/import", { method: "POST", body: f });
    const t = await followTask(task.id, line, "importing");
    const s = t.summary || {};
    line.textContent = s.error ? "error: " + s.error
      : `${s.added} added, ${s.changed} changed, ${s.unchanged} unchanged, ${s.refused} refused; ${s.customers} customers held` +
        (s.refused_rows && s.refused_rows.length ? ` (row ${s.refused_rows[0].row}: ${s.refused_rows[0].error}${s.refused > 1 ? ", …" : ""})` : "");
    loadCustomers(hashParts().params);
  } catch (err) {
    line.textContent = failure(err);
  }
});

async function loadCustomer(id) {
  const box = $("#customer");
  box.replaceChildren(el("p", { class: "muted", text: "loading…" }));
  try {
    const c = await getJSON("/customers/" + encodeURIComponent(id));
    const frag = document.createDocumentFragment();
    frag.append(el("h1", { text: c.name }),
      fieldList([["Id", c.id], ["Type", c.schema], ["Date of birth", c.birth_date], ["Country", c.country], ["Gender", c.gender], ["Identifier", c.id_number], ["Added", fmtDate(c.added_at)], ["Updated", fmtDate(c.updated_at)]]));
    const t = el("table", { class: "results" }, el("thead", {}, el("tr", {}, ...["Alert", "Score", "Listed entity", "Status", "Opened"].map((h) => el("th", { text: h })))));
    const tb = el("tbody");
    for (const a of c.alerts)
      tb.append(el("tr", {}, el("td", {}, el("a", { href: `#/alert/${a.id}`, text: String(a.id) })), el("td", {}, scoreBar(a.score, a.status === "open")),
        el("td", { text: `${a.entity.name} (${a.entity.source} ${a.entity.source_id})` }), el("td", { text: STATUS[a.status] || a.status }), el("td", { text: fmtDate(a.created_at) })));
    t.append(tb);
    frag.append(el("h2", { text: `Alerts (${c.alerts.length})` }), c.alerts.length ? el("div", { class: "scroll" }, t) : el("p", { class: "muted", text: "None: no listed name has come near this customer's." }),
      el("h2", { text: "Trail" }), trailTable(c.trail || []));
    box.replaceChildren(frag);
  } catch (err) {
    box.replaceChildren(el("p", { text: failure(err) }));
  }
}

// Runs: the history, and a re-screen started here.
async function loadRuns() {
  const tb = $("#runs tbody");
  try {
    const runs = await getJSON("/runs");
    tb.replaceChildren();
    for (const r of runs.slice().reverse())
      tb.append(el("tr", {}, ...[r.id, fmtDate(r.started_at), r.seconds.toFixed(1), r.full ? "yes" : "", r.customers,
        r.screened_in_full + r.screened_changed, r.entities_changed, r.alerts_new, r.alerts_delisted,
        r.versions.map((v) => `${v.source} v${v.version}`).join(", ")].map((x) => el("td", { text: String(x) }))));
    if (!runs.length) tb.append(el("tr", {}, el("td", { colspan: "10", class: "muted", text: "No run yet: import customers, then re-screen." })));
  } catch (err) {
    tb.replaceChildren(el("tr", {}, el("td", { colspan: "10", text: failure(err) })));
  }
}

$("#rescreen-go").addEventListener("click", async () => {
  const line = $("#rescreen-status");
  $("#rescreen-go").disabled = true;
  line.textContent = "re-screening…";
  try {
    const task = await getJSON("/runs", { method: "POST" });
    const t = await followTask(task.id, line, "re-screening");
    const s = t.summary || {};
    line.replaceChildren(s.error ? "error: " + s.error : `run ${s.run}: ${s.alerts_new} new alert${s.alerts_new === 1 ? "" : "s"}, ${s.alerts_delisted} closed as delisted, ${s.seconds.toFixed(1)} s · `,
      el("a", { href: "#/alerts", text: "open the queue" }));
    loadRuns();
  } catch (err) {
    line.textContent = failure(err);
  }
  $("#rescreen-go").disabled = false;
});

// List changes between two versions of a list.
let catalogCache = null;
async function loadChanges(params) {
  const out = $("#changes");
  try {
    catalogCache = catalogCache || (await getJSON("/catalog"));
    const sources = [...new Set(catalogCache.versions.map((v) => v.source))];
    const src = params.get("list") || sources.find((s) => catalogCache.versions.filter((v) => v.source === s).length > 1) || sources[0];
    $("#changes-list").replaceChildren(...sources.map((s) => el("option", { value: s, text: s })));
    $("#changes-list").value = src;
    const vers = catalogCache.versions.filter((v) => v.source === src);
    const opt = (v) => el("option", { value: String(v.id), text: `${v.id} (${v.published || fmtDate(v.loaded_at)})` });
    $("#changes-from").replaceChildren(...vers.map(opt));
    $("#changes-to").replaceChildren(...vers.map(opt));
    if (vers.length < 2) {
      out.replaceChildren();
      $("#changes-status").textContent = `${src} has one version: a change needs two (load a newer list)`;
      return;
    }
    const to = params.get("to") || String(vers[vers.length - 1].id), from = params.get("from") || String(vers[vers.length - 2].id);
    $("#changes-from").value = from;
    $("#changes-to").value = to;
    $("#changes-status").textContent = "comparing…";
    const d = await getJSON(`/diff/${encodeURIComponent(src)}?from=${from}&to=${to}`);
    $("#changes-status").textContent = `${d.counts.added} added, ${d.counts.removed} removed, ${d.counts.changed} changed`;
    const link = (id, name) => el("a", { href: "#/entity/" + encodeURIComponent(src + ":" + id), text: `${name} (${id})` });
    const list = (title, items) => {
      const ul = el("ul");
      for (const x of items.slice(0, 200)) ul.append(el("li", {}, link(x.id, x.name)));
      if (items.length > 200) ul.append(el("li", { class: "muted", text: `and ${items.length - 200} more` }));
      return [el("h2", { text: `${title} (${items.length})` }), ul];
    };
    const ch = el("ul");
    for (const x of d.changed.slice(0, 200)) {
      const fields = Object.entries(x.fields).map(([k, v]) => v.added || v.removed
        ? `${k.replace(/_/g, " ")}: ${(v.added || []).length ? "+" + v.added.map((a) => typeof a === "object" ? JSON.stringify(a) : a).join(", ") : ""}${(v.removed || []).length ? " −" + v.removed.map((a) => typeof a === "object" ? JSON.stringify(a) : a).join(", ") : ""}`
        : `${k.replace(/_/g, " ")}: ${JSON.stringify(v.old)} → ${JSON.stringify(v.new)}`);
      ch.append(el("li", {}, link(x.id, x.name), el("div", { class: "muted small", text: fields.join("; ") })));
    }
    out.replaceChildren(...list("Added", d.added), ...list("Removed", d.removed), el("h2", { text: `Changed (${d.changed.length})` }), ch);
  } catch (err) {
    out.replaceChildren();
    $("#changes-status").textContent = failure(err);
  }
}
for (const id of ["changes-list", "changes-from", "changes-to"])
  $("#" + id).addEventListener("change", () => {
    const p = new URLSearchParams({ list: $("#changes-list").value });
    if (id !== "changes-list") p.set("from", $("#changes-from").value), p.set("to", $("#changes-to").value);
    setHash("#/changes", p, true);
  });

// The audit trail (reviewers).
async function loadAudit() {
  const tb = $("#audit tbody");
  $("#audit-status").textContent = "loading…";
  try {
    const r = await getJSON("/audit?limit=500");
    tb.replaceChildren();
    for (const x of r.trail.slice().reverse())
      tb.append(el("tr", {}, el("td", { text: fmtDate(x.at) }), el("td", { text: x.user }), el("td", { text: x.action }),
        el("td", {}, x.alert_id ? el("a", { href: `#/alert/${x.alert_id}`, text: String(x.alert_id) }) : ""),
        el("td", { text: x.customer_id || "" }), el("td", { text: x.note || "" }), el("td", { text: x.detail || "" })));
    $("#audit-status").textContent = `${r.trail.length} step${r.trail.length === 1 ? "" : "s"}, newest first`;
  } catch (err) {
    tb.replaceChildren();
    $("#audit-status").textContent = failure(err);
  }
}

getJSON("/session").then(signedIn, () => signIn(""));
