// Small SVG charts: a line chart over time and a grouped bar chart. Colours are the
// Okabe–Ito palette (readable with colour-vision deficiency); every series also has a dash.

const NS = "http://www.w3.org/2000/svg";
export const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
const DASHES = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 4", "4 4", "12 2"];

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// About five round ticks covering [lo, hi].
export function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) { const pad = Math.abs(lo) * 0.05 || 1; lo -= pad; hi += pad; }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const start = Math.floor(lo / step) * step;
  const out = [];
  for (let v = start; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  if (out[out.length - 1] < hi) out.push(+(out[out.length - 1] + step).toPrecision(12));
  return out;
}

export function format(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return +v.toPrecision(4) + "";
}

const W = 480, H = 300, M = { left: 62, right: 12, top: 12, bottom: 44 };

// xs: [lo, hi, ...ticks inside]; ys: ticks, the first and last the axis ends.
function frame(svg, xDomain, xTicks, ys, xLabel, yLabel) {
  const xs = xTicks;
  const span = xDomain[1] - xDomain[0] || 1;
  const x = (v) => M.left + ((v - xDomain[0]) / span) * (W - M.left - M.right);
  const y = (v) => H - M.bottom - ((v - ys[0]) / (ys[ys.length - 1] - ys[0])) * (H - M.top - M.bottom);
  const axes = el("g", { class: "axes", "font-size": "11", fill: "#57606a" });
  for (const t of ys) {
    axes.append(el("line", { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), stroke: "#eaeef2" }));
    axes.append(el("text", { x: M.left - 6, y: y(t) + 4, "text-anchor": "end" }, format(t)));
  }
  for (const t of xs) {
    axes.append(el("line", { x1: x(t), x2: x(t), y1: H - M.bottom, y2: H - M.bottom + 4, stroke: "#57606a" }));
    axes.append(el("text", { x: x(t), y: H - M.bottom + 16, "text-anchor": "middle" }, format(t)));
  }
  axes.append(el("line", { x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom, stroke: "#57606a" }));
  axes.append(el("line", { x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom, stroke: "#57606a" }));
  axes.append(el("text", { x: (M.left + W - M.right) / 2, y: H - 6, "text-anchor": "middle" }, xLabel));
  axes.append(el("text", { x: 12, y: (M.top + H - M.bottom) / 2, "text-anchor": "middle",
    transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})` }, yLabel));
  svg.append(axes);
  return { x, y };
}

// series: [{key, label, x: [...], y: [...]}]; keyAttr names the attribute each path carries.
export function lineChart({ title, xLabel, yLabel, series, keyAttr = "data-arm" }) {
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${title}: ${yLabel} against ${xLabel}` });
  svg.append(el("title", {}, title));
  const finite = (a) => a.filter((v) => Number.isFinite(v));
  const allX = series.flatMap((s) => finite(s.x));
  const allY = series.flatMap((s) => finite(s.y));
  const xDomain = [Math.min(...allX), Math.max(...allX)];
  const xTicks = ticks(...xDomain).filter((t) => t >= xDomain[0] - 1e-9 && t <= xDomain[1] + 1e-9);
  const ys = ticks(Math.min(...allY), Math.max(...allY));
  const { x, y } = frame(svg, xDomain, xTicks, ys, xLabel, yLabel);
  series.forEach((s, i) => {
    let d = "";
    s.x.forEach((xv, j) => {
      const yv = s.y[j];
      if (!Number.isFinite(xv) || !Number.isFinite(yv)) return;
      d += `${d ? "L" : "M"}${x(xv).toFixed(1)},${y(yv).toFixed(1)}`;
    });
    const path = el("path", { d, fill: "none", stroke: COLOURS[i % COLOURS.length], "stroke-width": 2,
      "stroke-dasharray": DASHES[i % DASHES.length], [keyAttr]: s.key });
    path.append(el("title", {}, s.label));
    svg.append(path);
  });
  return svg;
}

// A legend as HTML (wraps on narrow screens).
export function legend(series) {
  const ul = document.createElement("ul");
  ul.className = "legend";
  series.forEach((s, i) => {
    const li = document.createElement("li");
    const swatch = el("svg", { width: 28, height: 10, "aria-hidden": "true" });
    swatch.append(el("line", { x1: 0, x2: 28, y1: 5, y2: 5, stroke: COLOURS[i % COLOURS.length], "stroke-width": 2,
      "stroke-dasharray": DASHES[i % DASHES.length] }));
    li.append(swatch, " " + s.label);
    ul.append(li);
  });
  return ul;
}

// groups: [{label, values: [...]}] with one value per bar name; values in percent.
export function barChart({ title, yLabel, bars, groups }) {
  const h = 260;
  const svg = el("svg", { viewBox: `0 0 ${W} ${h}`, role: "img", "aria-label": title });
  svg.append(el("title", {}, title));
  const max = Math.max(...groups.flatMap((g) => g.values), 0);
  const ys = ticks(0, max || 1);
  const top = ys[ys.length - 1];
  const plotH = h - M.top - 60;
  const y = (v) => M.top + plotH - (v / top) * plotH;
  const axes = el("g", { "font-size": "11", fill: "#57606a" });
  for (const t of ys) {
    axes.append(el("line", { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), stroke: "#eaeef2" }));
    axes.append(el("text", { x: M.left - 6, y: y(t) + 4, "text-anchor": "end" }, format(t)));
  }
  axes.append(el("text", { x: 12, y: M.top + plotH / 2, "text-anchor": "middle",
    transform: `rotate(-90 12 ${M.top + plotH / 2})` }, yLabel));
  svg.append(axes);
  const groupW = (W - M.left - M.right) / groups.length;
  const barW = Math.min(40, (groupW * 0.8) / bars.length);
  groups.forEach((g, gi) => {
    const x0 = M.left + gi * groupW + (groupW - barW * bars.length) / 2;
    g.values.forEach((v, bi) => {
      const rect = el("rect", { x: x0 + bi * barW, y: y(v), width: barW - 2, height: Math.max(0, y(0) - y(v)),
        fill: COLOURS[bi % COLOURS.length] });
      rect.append(el("title", {}, `${g.label}, ${bars[bi]}: ${v.toFixed(2)} %`));
      svg.append(rect);
    });
    const label = el("text", { x: M.left + gi * groupW + groupW / 2, y: h - 40, "text-anchor": "middle", "font-size": "11" });
    const room = Math.max(6, Math.floor(groupW / 6.5));
    label.textContent = g.label.length > room ? g.label.slice(0, room - 1) + "…" : g.label;
    label.append(el("title", {}, g.label));
    svg.append(label);
  });
  bars.forEach((b, bi) => {
    const lx = M.left + bi * 170;
    svg.append(el("rect", { x: lx, y: h - 18, width: 12, height: 12, fill: COLOURS[bi % COLOURS.length] }));
    svg.append(el("text", { x: lx + 16, y: h - 8, "font-size": "11" }, b));
  });
  return svg;
}
