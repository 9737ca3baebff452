// vigil's page for analysts: search, why it matched, entities, lists, batch.
// Plain JavaScript, no libraries, no network but the server it came from.
"use strict";

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
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

function route() {
  if (!session) return;
  const h = location.hash || "#/search";
  if (h.startsWith("#/entity/")) {
    show("entity");
    loadEntity(decodeURIComponent(h.slice(9)));
  } else if (h === "#/lists") {
    show("lists");
    loadLists();
  } else if (h === "#/batch") {
    show("batch");
  } else {
    show("search");
    $("#q").focus();
  }
}
window.addEventListener("hashchange", route);

// ---------------------------------------------------------------- search

let timer = null;
let seq = 0;
for (const id of ["q", "dob", "country", "schema", "list"]) {
  $("#" + id).addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
}
$("#search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  search();
});

async function search() {
  const q = $("#q").value.trim();
  const mine = ++seq;
  if (!q) {
    $("#results").hidden = true;
    $("#search-status").textContent = "";
    return;
  }
  const p = new URLSearchParams({ q, limit: "20", threshold: "0.85" });
  if ($("#dob").value.trim()) p.set("birthDate", $("#dob").value.trim());
  if ($("#country").value.trim()) p.set("country", $("#country").value.trim());
  if ($("#schema").value) p.set("schema", $("#schema").value);
  const list = $("#list").value || "default";
  $("#search-status").textContent = "searching…";
  try {
    const t0 = performance.now();
    const res = await getJSON(`/search/${encodeURIComponent(list)}?${p}`);
    if (mine !== seq) return; // a later search is on its way
    renderResults(res.results);
    const alerts = res.results.filter((r) => r.match).length;
    $("#search-status").textContent =
      `${res.results.length} result${res.results.length === 1 ? "" : "s"}, ${alerts} at or above the threshold ` +
      `(${Math.round(performance.now() - t0)} ms)`;
  } catch (err) {
    if (mine === seq) $("#search-status").textContent = "error: " + err.message;
  }
}

function renderResults(results) {
  const tb = $("#results tbody");
  tb.replaceChildren();
  for (const r of results) {
    const pct = Math.round(r.score * 100);
    const bar = el("div", { class: "score" + (r.match ? " alert" : "") },
      el("div", { class: "fill", style: `width:${pct}%` }), el("span", { text: r.score.toFixed(3) }));
    const link = el("a", { href: "#/entity/" + encodeURIComponent(r.id), text: r.caption });
    const why = el("button", { type: "button", class: "why", "aria-expanded": "false", text: "why" });
    const row = el("tr", { class: r.match ? "match" : "" },
      el("td", {}, bar), el("td", {}, link), el("td", { text: r.matched_name }),
      el("td", { text: r.datasets.join(", ") + " " + r.id.split(":").slice(1).join(":") }),
      el("td", { text: r.schema }), el("td", {}, why));
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
  const skip = new Set(["names", "version", "source", "source_id", "schema"]);
  for (const [k, v] of Object.entries(e)) {
    if (skip.has(k)) continue;
    dl.append(el("dt", { text: k.replace(/_/g, " ") }), el("dd", {}, value(k, v)));
  }
  frag.append(el("h2", { text: "Fields" }), dl);
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
  } catch (err) {
    $("#versions").textContent = "";
  }
}

// ----------------------------------------------------------------- batch

$("#batch-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = $("#batch-file").files[0];
  if (!f) return;
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
      for (const h of (r.results || []).filter((h) => h.match))
        tb.append(el("tr", {}, el("td", { text: String(r.row) }), el("td", { text: r.id || "" }),
          el("td", { text: h.score.toFixed(3) }),
          el("td", {}, el("a", { href: "#/entity/" + encodeURIComponent(h.source + ":" + h.source_id), text: h.name })),
          el("td", { text: h.source })));
    }
    $("#batch-alerts").hidden = tb.children.length === 0;
    $("#batch-status").textContent += ` · ${tb.children.length} alert${tb.children.length === 1 ? "" : "s"}`;
  } catch (err) {
    $("#batch-status").textContent = "error: " + err.message;
  }
});

getJSON("/session").then(signedIn, () => signIn(""));
