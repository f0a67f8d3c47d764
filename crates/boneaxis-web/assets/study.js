// Renders a run's answer: one plot per readout (arms side by side) and an end-of-study table.

import { lineChart, legend, format } from "./chart.js";

// Days for short studies, years for long ones.
function timeAxis(durationDays) {
  return durationDays <= 120 ? { label: "time (days)", scale: 1 } : { label: "time (years)", scale: 1 / 365.25 };
}

export function renderPlots(container, result, readouts) {
  container.replaceChildren();
  const axis = timeAxis(result.duration_days);
  for (const name of readouts) {
    const r = result.readouts.findIndex((x) => x.name === name);
    if (r < 0) continue;
    const info = result.readouts[r];
    const series = result.arms.map((a) => ({
      key: a.name, label: a.name, x: a.times_days.map((t) => t * axis.scale), y: a.values[r],
    }));
    const figure = document.createElement("figure");
    figure.dataset.readout = name;
    const caption = document.createElement("figcaption");
    caption.textContent = `${info.description} (${name}, ${info.unit})`;
    figure.append(caption, lineChart({ title: info.description, xLabel: axis.label, yLabel: `${name} (${info.unit})`, series }), legend(series));
    container.append(figure);
  }
}

export function renderTable(table, result) {
  table.replaceChildren();
  const control = result.arms.findIndex((a) => a.name === result.control);
  const head = table.createTHead().insertRow();
  for (const text of ["readout", "unit", ...result.arms.map((a) => a.name)]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    if (text !== "readout" && text !== "unit") th.className = "num";
    head.append(th);
  }
  const body = table.createTBody();
  result.readouts.forEach((info, r) => {
    const row = body.insertRow();
    row.dataset.readout = info.name;
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = info.name;
    row.append(th);
    row.insertCell().textContent = info.unit;
    const base = result.arms[control].values[r].at(-1);
    for (const arm of result.arms) {
      const v = arm.values[r].at(-1);
      const cell = row.insertCell();
      cell.className = "num";
      cell.dataset.arm = arm.name;
      cell.dataset.value = String(v);
      const change = arm.name !== result.control && base ? ` (${(100 * (v - base) / base >= 0 ? "+" : "")}${(100 * (v - base) / base).toFixed(1)}%)` : "";
      cell.textContent = format(v) + change;
    }
  });
  const caption = table.createCaption();
  caption.textContent = `End-of-study values (% vs ${result.control}), ${result.title}`;
}
