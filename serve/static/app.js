// The recsys demo page: plain JS against the server's /api, no build step, no network
// beyond this server. Radar plots and the graph view are drawn as inline SVG.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const MODALITIES = ["text", "image", "audio", "graph"];
const SVG = "http://www.w3.org/2000/svg";
const state = { track: null, seeds: [], lastPlaylistBody: null, map: null, serverClean: false };

// -- talking to the API ----------------------------------------------------------------------
function apiKey() { return localStorage.getItem("recsys_key") || ""; }

function rememberKey(key) {
  localStorage.setItem("recsys_key", key);
  // <img> and <audio> cannot send a header: the server also reads this cookie
  document.cookie = `recsys_key=${encodeURIComponent(key)}; path=/; SameSite=Strict`;
}

async function api(path, { method = "GET", json, form, raw } = {}) {
  const headers = {};
  if (apiKey()) headers["X-API-Key"] = apiKey();
  let body;
  if (json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(json); }
  if (form !== undefined) body = form;
  const resp = await fetch(path, { method, headers, body });
  if (resp.status === 401) {
    const key = prompt("This server needs an API key:");
    if (key) { rememberKey(key); return api(path, { method, json, form, raw }); }
  }
  if (!resp.ok) {
    let message = `${resp.status} ${resp.statusText}`;
    try { message = (await resp.json()).error || message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return raw ? resp : resp.json();
}

// -- the filters every list of tracks is asked with ------------------------------------------
// "clean" (a parent's radio) is kept in the browser, and sent with each request that returns
// tracks: the similar tracks, the playlist and its file, the cover, clip or text query, the map.
// A clean server (recsys serve --clean) says so in /api/health: then it is on for good, whatever
// the browser kept (the server applies it to every request anyway)
function cleanOn() { return state.serverClean || localStorage.getItem("recsys_clean") === "1"; }

function lockClean() {
  state.serverClean = true;
  const box = $("#clean");
  box.checked = true;
  box.disabled = true;
  $("#clean-note").hidden = false;
}

function filters() { return cleanOn() ? { clean: true } : {}; }

function onCleanChange() {
  localStorage.setItem("recsys_clean", $("#clean").checked ? "1" : "0");
  if (state.track) guard(openTrack)(state.track.track.track_id);  // its neighbours again, as now asked
}

function toast(message) {
  const el = $("#toast");
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 6000);
}

const guard = (fn) => (...args) => fn(...args).catch((e) => toast(e.message));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// -- views -----------------------------------------------------------------------------------
function showView(name) {
  for (const b of document.querySelectorAll("#views button")) b.classList.toggle("active", b.dataset.view === name);
  for (const s of document.querySelectorAll(".view")) s.hidden = s.id !== `view-${name}`;
  if (name === "map") guard(loadMap)();
}

// -- search box ------------------------------------------------------------------------------
let searchTimer = null;
function onSearchInput() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(guard(async () => {
    const q = $("#search").value.trim();
    const list = $("#suggestions");
    if (!q) { list.hidden = true; return; }
    const data = await api(`/api/tracks?q=${encodeURIComponent(q)}&limit=8`);
    list.replaceChildren(...data.results.map((t) => el("li", { role: "option", "data-id": t.track_id, onclick: () => pick(t.track_id) },
      el("img", { src: t.cover_url || "", alt: "" }), el("span", {}, `${t.title} `, el("span", { class: "muted" }, `· ${t.artist}`)))));
    list.hidden = data.results.length === 0;
  }), 150);
}

function pick(trackId) {
  $("#suggestions").hidden = true;
  showView("track");
  guard(openTrack)(trackId);
}

// -- one track -------------------------------------------------------------------------------
async function openTrack(trackId) {
  const d = await api(`/api/tracks/${encodeURIComponent(trackId)}?k=8${cleanOn() ? "&clean=true" : ""}`);
  state.track = d;
  $("#track-empty").hidden = true;
  $("#track-view").hidden = false;
  const t = d.track;
  $("#track-cover").src = t.cover_url || "";
  $("#track-title").textContent = t.title;
  $("#track-meta").textContent = [t.artist, t.album, t.year, t.genres.join(", "), tempoKey(t)].filter(Boolean).join(" · ");
  const audio = $("#track-audio");
  audio.hidden = !t.audio_url;
  if (t.audio_url) audio.src = t.audio_url; else audio.removeAttribute("src");
  $("#track-summary").textContent = d.summary || d.description || "";
  $("#track-themes").replaceChildren(...d.themes.map((x) => el("span", {}, x)));
  $("#track-moods").replaceChildren(...d.moods.map((x) => el("span", {}, x)));
  const tabs = $("#neighbour-tabs");
  const order = ["fused", ...MODALITIES].filter((u) => d.neighbours[u]);
  tabs.replaceChildren(...order.map((u) => el("button", { "data-using": u, onclick: () => showNeighbours(u) },
    u === "fused" ? "similar (fused)" : `by ${u}`)));
  if (order.length) showNeighbours(order[0]);
  drawGraph(d.graph);
}

function showNeighbours(using) {
  for (const b of document.querySelectorAll("#neighbour-tabs button")) b.classList.toggle("active", b.dataset.using === using);
  const seedTitle = state.track.track.title;
  renderResults($("#neighbours"), state.track.neighbours[using] || [], { seedTitle });
}

// -- result rows -----------------------------------------------------------------------------
// a DJ's tags, where the track has them: "128 BPM 8A"
function tempoKey(r) {
  return [r.bpm ? `${Math.round(r.bpm * 10) / 10} BPM` : "", r.key || ""].filter(Boolean).join(" ");
}

function renderResults(list, results, { seedTitle = null, compact = false } = {}) {
  list.replaceChildren(...results.map((r, i) => {
    const actions = el("span", { class: "actions" });
    if (r.explanation) actions.append(el("button", { class: "why", title: "why: similarity per modality",
      onclick: () => openExplanation(r, r.seed || seedTitle) }, "why"));
    actions.append(el("button", { class: "add-seed", title: "add to the playlist seeds", onclick: () => addSeed(r) }, "+"));
    if (state.seeds.some((s) => s.track_id === r.track_id)) actions.append(el("button", { class: "remove-seed",
      title: "remove from the seeds", onclick: () => removeSeed(r.track_id) }, "−"));
    const bar = el("div", { class: "bar" }, el("i", { style: `width:${Math.max(0, Math.min(1, r.score)) * 100}%` }));
    return el("li", { class: `result${r.is_seed ? " seed" : ""}`, "data-id": r.track_id },
      el("span", { class: "rank" }, String(i + 1)),
      el("img", { src: r.cover_url || "", alt: "", loading: "lazy" }),
      el("div", {}, el("div", { class: "title", onclick: () => pick(r.track_id) }, r.title),
        el("div", { class: "sub" }, [r.artist, r.genres.join(", "), r.year, tempoKey(r)].filter(Boolean).join(" · "))),
      el("div", { class: "score" }, compact ? "" : `score ${r.score.toFixed(3)}`, bar),
      actions);
  }));
}

// -- explanation: a radar of the per-modality similarity -------------------------------------
function radar(values, size = 260) {
  const c = size / 2, R = size / 2 - 34;
  const root = svg("svg", { width: size, height: size, viewBox: `0 0 ${size} ${size}`, role: "img" });
  const angle = (i) => -Math.PI / 2 + (i * 2 * Math.PI) / MODALITIES.length;
  const at = (i, r) => [c + Math.cos(angle(i)) * r, c + Math.sin(angle(i)) * r];
  for (const level of [0.25, 0.5, 0.75, 1]) {
    root.append(svg("polygon", { points: MODALITIES.map((_, i) => at(i, R * level).join(",")).join(" "),
      fill: "none", stroke: "#d5d9e2" }));
  }
  MODALITIES.forEach((m, i) => {
    const [x, y] = at(i, R);
    root.append(svg("line", { x1: c, y1: c, x2: x, y2: y, stroke: "#d5d9e2" }));
    const [lx, ly] = at(i, R + 16);
    const label = svg("text", { x: lx, y: ly + 4, "text-anchor": "middle", "font-size": 12, fill: "#374151" });
    label.textContent = m;
    root.append(label);
  });
  const pts = MODALITIES.map((m, i) => at(i, R * Math.max(0, Math.min(1, values[m] ?? 0))));
  root.append(svg("polygon", { class: "radar-area", points: pts.map((p) => p.join(",")).join(" "),
    fill: "#3454d155", stroke: "#3454d1", "stroke-width": 2 }));
  MODALITIES.forEach((m, i) => {
    if (values[m] === null || values[m] === undefined) return;
    root.append(svg("circle", { cx: pts[i][0], cy: pts[i][1], r: 3.5, fill: "#3454d1" }));
  });
  return root;
}

function openExplanation(r, seedTitle) {
  $("#explain-title").textContent = `"${r.title}" by ${r.artist}` + (seedTitle ? ` vs "${seedTitle}"` : "");
  $("#radar").replaceChildren(radar(r.explanation));
  $("#explain-table").replaceChildren(...MODALITIES.map((m) => el("tr", {}, el("td", {}, m),
    el("td", {}, r.explanation[m] === null ? "— (missing)" : r.explanation[m].toFixed(3)))));
  $("#explain").hidden = false;
}

// -- the graph neighbourhood -----------------------------------------------------------------
const NODE_COLOURS = { track: "#3454d1", artist: "#c2410c", album: "#7c3aed", genre: "#15803d", neighbour: "#64748b" };

function drawGraph(graph, W = 340, H = 300) {
  const root = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}` });
  const cx = W / 2, cy = H / 2;
  const inner = graph.nodes.filter((n) => n.kind !== "track" && n.kind !== "neighbour");
  const outer = graph.nodes.filter((n) => n.kind === "neighbour");
  const pos = {};
  for (const n of graph.nodes) if (n.kind === "track") pos[n.id] = [cx, cy];
  inner.forEach((n, i) => { const a = (i / Math.max(inner.length, 1)) * 2 * Math.PI - Math.PI / 2; pos[n.id] = [cx + Math.cos(a) * 62, cy + Math.sin(a) * 62]; });
  outer.forEach((n, i) => { const a = (i / Math.max(outer.length, 1)) * 2 * Math.PI - Math.PI / 2 + 0.3; pos[n.id] = [cx + Math.cos(a) * 125, cy + Math.sin(a) * 118]; });
  for (const e of graph.edges) {
    const [a, b] = [pos[e.source], pos[e.target]];
    if (a && b) root.append(svg("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: e.kind === "near" ? "#cbd5e1" : "#94a3b8",
      "stroke-dasharray": e.kind === "near" ? "3 3" : "" }));
  }
  for (const n of graph.nodes) {
    const [x, y] = pos[n.id];
    const g = svg("g", { class: n.kind });
    const title = svg("title"); title.textContent = `${n.kind}: ${n.label}`;
    g.append(title, svg("circle", { cx: x, cy: y, r: n.kind === "track" ? 9 : 6, fill: NODE_COLOURS[n.kind] }));
    const label = svg("text", { x, y: y + (n.kind === "track" ? 20 : 15), "text-anchor": "middle", fill: "#1f2937" });
    label.textContent = n.label.length > 22 ? n.label.slice(0, 21) + "…" : n.label;
    g.append(label);
    if (n.kind === "neighbour" && n.track_id) g.addEventListener("click", () => pick(n.track_id));
    root.append(g);
  }
  $("#graph").replaceChildren(root);
}

// -- playlist builder ------------------------------------------------------------------------
function addSeed(t) {
  if (!state.seeds.some((s) => s.track_id === t.track_id)) state.seeds.push({ track_id: t.track_id, title: t.title, artist: t.artist });
  renderSeeds();
}

function removeSeed(trackId) {
  state.seeds = state.seeds.filter((s) => s.track_id !== trackId);
  renderSeeds();
}

function renderSeeds() {
  $("#seed-count").textContent = String(state.seeds.length);
  $("#seeds").replaceChildren(...state.seeds.map((s) => el("li", { "data-id": s.track_id }, `${s.title} · ${s.artist} `,
    el("button", { title: "remove", onclick: () => removeSeed(s.track_id) }, "−"))));
  $("#build-playlist").disabled = state.seeds.length === 0;
}

function playlistBody() {
  return { seeds: state.seeds.map((s) => s.track_id), per_seed: Number($("#per-seed").value) || 3,
    diversity: Number($("#diversity").value), explain: true, filters: filters() };
}

async function buildPlaylist() {
  const body = playlistBody();
  const data = await api("/api/playlist", { method: "POST", json: body });
  state.lastPlaylistBody = body;
  renderResults($("#playlist"), data.playlist);
  $("#download-m3u8").disabled = false;
}

async function downloadM3u8() {
  const resp = await api("/api/playlist.m3u8", { method: "POST", json: state.lastPlaylistBody || playlistBody(), raw: true });
  const url = URL.createObjectURL(await resp.blob());
  const a = el("a", { href: url, download: "playlist.m3u8" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

// -- cross-modal box -------------------------------------------------------------------------
async function queryFile(file) {
  // a WebM or Matroska download and a stem file are typed as video by the browser: their sound is queried
  const kind = file.type.startsWith("audio/") || file.type.startsWith("video/") ||
    /\.(wav|flac|ogg|oga|opus|mp3|m4a|aac|aiff?|aifc|wma|wv|ape|tta|dsf|m4[br]|mka|webm|mp4|au|snd|mp2|caf|mpc|mp\+|tak|dff|shn|spx|w64|ra|e?ac3|dts)$/i.test(file.name) ? "audio" : "image";
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("k", "10");
  form.append("explain", "true");
  if (cleanOn()) form.append("clean", "true");
  $("#query-label").textContent = `searching tracks like ${file.name} (${kind})…`;
  const data = await api(`/api/query/${kind}`, { method: "POST", form });
  $("#query-label").textContent = `${data.results.length} tracks like ${file.name} (${data.using} space)`;
  renderResults($("#query-results"), data.results, { seedTitle: file.name });
}

async function queryText(event) {
  event.preventDefault();
  const text = $("#text-input").value.trim();
  if (!text) return;
  const data = await api("/api/query/text", { method: "POST", json: { text, using: $("#text-using").value, k: 10, explain: true, filters: filters() } });
  $("#query-label").textContent = `${data.results.length} tracks for "${text}" (${data.using} space)`;
  renderResults($("#query-results"), data.results, { seedTitle: text });
}

// -- the map ---------------------------------------------------------------------------------
async function loadMap() {
  const q = `using=${$("#map-using").value}&color=${$("#map-color").value}&method=${$("#map-method").value}`;
  $("#map-label").textContent = "projecting…";
  state.map = await api(`/api/map?${q}`);
  $("#map-label").textContent = `${state.map.points.length} tracks, ${state.map.using} space (${state.map.method.toUpperCase()})`;
  const counts = {};
  for (const p of state.map.points) counts[p.group] = (counts[p.group] || 0) + 1;
  $("#map-legend").replaceChildren(...Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 30).map(([g, n]) =>
    el("div", {}, el("span", { style: `background:${state.map.colours[g]}` }), `${g} (${n})`)));
  drawMap();
}

function mapScreen() {
  const c = $("#map"), r = c.getBoundingClientRect(), pad = 20;
  return state.map.points.map((p) => [pad + p.x * (r.width - 2 * pad), pad + (1 - p.y) * (r.height - 2 * pad), p]);
}

function drawMap() {
  if (!state.map) return;
  const c = $("#map"), r = c.getBoundingClientRect(), ctx = c.getContext("2d");
  c.width = r.width * devicePixelRatio; c.height = r.height * devicePixelRatio;
  ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
  ctx.clearRect(0, 0, r.width, r.height);
  for (const [x, y, p] of mapScreen()) {
    ctx.beginPath(); ctx.arc(x, y, 5, 0, 7);
    ctx.fillStyle = state.map.colours[p.group]; ctx.fill();
    ctx.strokeStyle = "#333"; ctx.lineWidth = 0.5; ctx.stroke();
  }
}

function nearestOnMap(event) {
  const r = $("#map").getBoundingClientRect(), mx = event.clientX - r.left, my = event.clientY - r.top;
  let best = null, bd = 144;
  for (const s of mapScreen()) { const d = (s[0] - mx) ** 2 + (s[1] - my) ** 2; if (d < bd) { bd = d; best = s; } }
  return best;
}

function onMapMove(event) {
  if (!state.map) return;
  const tip = $("#map-tip"), best = nearestOnMap(event);
  if (!best) { tip.hidden = true; return; }
  tip.textContent = `${best[2].title} · ${best[2].artist} (${best[2].genres.join(", ")})`;
  tip.style.left = `${best[0] + 10}px`; tip.style.top = `${best[1] + 10}px`;
  tip.hidden = false;
}

async function onMapClick(event) {
  if (!state.map) return;
  const best = nearestOnMap(event);
  if (!best) return;
  const p = best[2];
  const data = await api("/api/recommend", { method: "POST",
    json: { seeds: [p.title], artist: p.artist || null, k: 10, using: state.map.using, explain: true, filters: filters() } });
  $("#map-label").textContent = `like "${p.title}" by ${p.artist}`;
  renderResults($("#map-results"), data.results, { seedTitle: p.title, compact: true });
}

// -- wiring ----------------------------------------------------------------------------------
function wire() {
  $("#search").addEventListener("input", onSearchInput);
  $("#search").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { const first = $("#suggestions li"); if (first) pick(first.dataset.id); }
    if (e.key === "Escape") $("#suggestions").hidden = true;
  });
  for (const b of document.querySelectorAll("#views button")) b.addEventListener("click", () => showView(b.dataset.view));
  $("#track-add-seed").addEventListener("click", () => state.track && addSeed(state.track.track));
  $("#build-playlist").addEventListener("click", guard(buildPlaylist));
  $("#download-m3u8").addEventListener("click", guard(downloadM3u8));
  $("#explain .close").addEventListener("click", () => { $("#explain").hidden = true; });
  $("#explain").addEventListener("click", (e) => { if (e.target.id === "explain") $("#explain").hidden = true; });
  $("#upload").addEventListener("change", (e) => { const f = e.target.files[0]; if (f) guard(queryFile)(f); });
  const drop = $("#drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over");
    const f = e.dataTransfer.files[0]; if (f) guard(queryFile)(f); });
  $("#text-query").addEventListener("submit", (e) => guard(queryText)(e));
  for (const id of ["#map-using", "#map-color", "#map-method"]) $(id).addEventListener("change", guard(loadMap));
  $("#map").addEventListener("mousemove", onMapMove);
  $("#map").addEventListener("click", (e) => guard(onMapClick)(e));
  window.addEventListener("resize", drawMap);
  $("#clean").checked = cleanOn();
  $("#clean").addEventListener("change", onCleanChange);
  renderSeeds();
  api("/api/health").then((h) => {
    $("#collection").textContent = `${h.collection}: ${h.points} tracks`;
    if (h.clean) lockClean();
  }).catch(() => {});
}

wire();
