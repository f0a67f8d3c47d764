// The model map (subsystems, signals, interventions) and the parameter table with sources.

import { api } from "./api.js";

const NS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
let rows = [];

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// Subsystems on a circle, arrows for signals (one per pair, listing the signals), and each
// intervention's count beside the subsystem it enters.
function drawMap(m) {
  const W = 640, H = 520, R = 190, cx = W / 2, cy = H / 2;
  const at = {};
  m.subsystems.forEach((s, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / m.subsystems.length;
    at[s] = [cx + R * Math.cos(a), cy + R * Math.sin(a)];
  });
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Model map: subsystems and the signals between them" });
  const defs = el("defs");
  const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(el("path", { d: "M0,0L10,5L0,10z", fill: "#57606a" }));
  defs.append(marker);
  svg.append(defs);
  const pairs = new Map();
  for (const l of m.links) {
    if (l.from === l.to) continue;
    const key = `${l.from}→${l.to}`;
    if (!pairs.has(key)) pairs.set(key, { from: l.from, to: l.to, signals: [] });
    pairs.get(key).signals.push(l.signal);
  }
  for (const p of pairs.values()) {
    const [x1, y1] = at[p.from], [x2, y2] = at[p.to];
    const d = Math.hypot(x2 - x1, y2 - y1), ux = (x2 - x1) / d, uy = (y2 - y1) / d, r = 44;
    const line = el("path", { d: `M${x1 + ux * r},${y1 + uy * r}L${x2 - ux * r},${y2 - uy * r}`,
      stroke: "#8c959f", "stroke-width": 1.5, fill: "none", "marker-end": "url(#arrow)", "data-link": `${p.from}-${p.to}` });
    line.append(el("title", {}, `${p.from} → ${p.to}: ${p.signals.join(", ")}`));
    svg.append(line);
  }
  for (const s of m.subsystems) {
    const [x, y] = at[s];
    const g = el("g", { "data-subsystem": s });
    const n = m.interventions.filter((i) => i.enters === s);
    g.append(el("ellipse", { cx: x, cy: y, rx: 46, ry: 24, fill: s === "bone" ? "#1f4e79" : "#eaf1f8", stroke: "#1f4e79" }));
    g.append(el("text", { x, y: y + 5, "text-anchor": "middle", "font-size": 14, fill: s === "bone" ? "#fff" : "#1b1f24" }, s));
    if (n.length) {
      g.append(el("text", { x, y: y + 40, "text-anchor": "middle", "font-size": 11, fill: "#D55E00" },
        `${n.length} intervention${n.length > 1 ? "s" : ""}`));
    }
    g.append(el("title", {}, `${s}${n.length ? ": " + n.map((i) => i.name).join(", ") : ""}`));
    svg.append(g);
  }
  $("model-map").replaceChildren(svg);
}

function interventionTable(m) {
  const table = $("intervention-table");
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of ["intervention", "enters", "acts"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  const all = [...m.interventions,
    ...m.drugs.map((d) => ({ name: `drug ${d.name}`, enters: "pharmacology", acts: d.class })),
    ...m.knockouts.map((k) => ({ name: `knockout ${k.name} (rodents)`, enters: "genotype", acts: k.acts_on }))];
  for (const i of all) {
    const row = body.insertRow();
    for (const v of [i.name, i.enters, i.acts]) row.insertCell().textContent = v;
  }
}

function parameterTable() {
  const filter = $("parameter-filter").value.trim().toLowerCase();
  const shown = rows.filter((p) => !filter || [p.name, p.source, p.kind, p.description].some((v) => v.toLowerCase().includes(filter)));
  const table = $("parameter-table");
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of ["name", "value", "unit", "kind", "source", "description"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    if (h === "value") th.className = "num";
    head.append(th);
  }
  const body = table.createTBody();
  for (const p of shown) {
    const row = body.insertRow();
    row.dataset.parameter = p.name;
    row.insertCell().textContent = p.name;
    const v = row.insertCell();
    v.className = "num";
    v.textContent = String(+p.value.toPrecision(6));
    row.insertCell().textContent = p.unit;
    row.insertCell().textContent = p.kind;
    const source = row.insertCell();
    if (p.doi) {
      const a = document.createElement("a");
      a.href = `https://doi.org/${p.doi}`;
      a.textContent = p.citation || p.source;
      source.append(a);
    } else {
      source.textContent = p.citation || p.source;
    }
    row.insertCell().textContent = p.description;
  }
  const kinds = {};
  for (const p of rows) kinds[p.kind] = (kinds[p.kind] || 0) + 1;
  $("parameter-count").textContent = `${shown.length} of ${rows.length} parameters shown (` +
    Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ") + ").";
}

async function loadParameters() {
  try {
    rows = await api(`/api/parameters?species=${$("parameter-species").value}`);
    parameterTable();
  } catch (e) {
    $("parameter-count").textContent = e.message;
  }
}

export async function start() {
  $("parameter-species").addEventListener("change", loadParameters);
  $("parameter-filter").addEventListener("input", parameterTable);
  try {
    const m = await api("/api/model");
    drawMap(m);
    interventionTable(m);
  } catch (e) {
    $("model-map").textContent = e.message;
  }
  await loadParameters();
}
