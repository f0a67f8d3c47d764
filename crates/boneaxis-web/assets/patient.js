// One person's what-if: the form, its request (the fields of a patient file) and the answer —
// the same JSON as `boneaxis patient --json`.

import { api, ApiError } from "./api.js";
import { lineChart, legend, barChart } from "./chart.js";
import { showErrors, clearErrors } from "./forms.js";

// The medicines the patient layer models (docs/clinical.md).
const DRUGS = ["sertraline", "fluoxetine", "paroxetine", "citalopram", "escitalopram", "imipramine", "propranolol"];

// API field → input id.
const FIELDS = {
  age: "patient-age", sex: "patient-sex", t_score: "patient-t-score", femoral_neck_bmd: "patient-t-score",
  bmi: "patient-bmi", "depression.severity": "patient-depression", "depression.years": "patient-depression-years",
  depression: "patient-depression", "drug.name": "patient-drug", "drug.dose": "patient-dose",
  "drug.start": "patient-start", drug: "patient-drug", alternative: "patient-alternative",
  smoking: "patient-smoking", alcohol: "patient-alcohol", glucocorticoids: "patient-glucocorticoids",
  years: "patient-years",
};

const $ = (id) => document.getElementById(id);

export function start() {
  const drug = $("patient-drug");
  for (const d of DRUGS) drug.add(new Option(d, d));
  $("patient-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
}

// A number field: undefined when empty, an error naming the field when not a number.
function number(id, field) {
  const input = $(id);
  if (input.value.trim() === "") {
    if (input.validity && input.validity.badInput) throw new ApiError(400, { error: { message: "not a number", field } });
    return undefined;
  }
  const v = Number(input.value);
  if (!Number.isFinite(v)) throw new ApiError(400, { error: { message: "not a number", field } });
  return v;
}

function text(id) {
  const v = $(id).value.trim();
  return v === "" ? undefined : v;
}

// "escitalopram 10mg, stop" → [{name, dose}]
function alternatives(value) {
  return (value || "").split(",").map((s) => s.trim()).filter(Boolean).map((s) => {
    const [name, ...dose] = s.split(/\s+/);
    return dose.length ? { name, dose: dose.join(" ") } : { name };
  });
}

export function request() {
  const age = number("patient-age", "age");
  if (age === undefined) throw new ApiError(400, { error: { message: "required: the person's age in years", field: "age" } });
  const spec = { age, sex: $("patient-sex").value };
  const optional = { t_score: number("patient-t-score", "t_score"), bmi: number("patient-bmi", "bmi"),
    smoking: number("patient-smoking", "smoking"), alcohol: number("patient-alcohol", "alcohol"),
    glucocorticoids: number("patient-glucocorticoids", "glucocorticoids"), years: number("patient-years", "years") };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) spec[k] = v;
  const severity = number("patient-depression", "depression.severity");
  const depressionYears = number("patient-depression-years", "depression.years");
  if (severity !== undefined || depressionYears !== undefined) {
    spec.depression = { severity: severity ?? 0.5, years: depressionYears ?? 0 };
  }
  const drug = $("patient-drug").value;
  if (drug) spec.drug = { name: drug, dose: text("patient-dose"), start: text("patient-start") };
  const alt = alternatives($("patient-alternative").value);
  if (alt.length) spec.alternative = alt;
  return spec;
}

async function submit() {
  const form = $("patient-form");
  const status = $("patient-status");
  clearErrors(form, "patient-error");
  $("patient-submit").disabled = true;
  status.textContent = "Simulating…";
  try {
    const report = await api("/api/patient", request());
    render(report);
    status.textContent = `done in ${report.run_ms.toFixed(0)} ms.`;
  } catch (e) {
    $("patient-results").hidden = true;
    status.textContent = "";
    showErrors(e, FIELDS, "patient-error");
  } finally {
    $("patient-submit").disabled = false;
  }
}

function cell(row, value, field, digits = 2, suffix = "") {
  const td = row.insertCell();
  td.className = "num";
  td.dataset.field = field;
  td.dataset.value = String(value);
  td.textContent = value.toFixed(digits) + suffix;
}

function header(table, names) {
  const head = table.createTHead().insertRow();
  names.forEach((n, i) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = n;
    if (i > 0) th.className = "num";
    head.append(th);
  });
}

function rowHeader(row, text) {
  const th = document.createElement("th");
  th.scope = "row";
  th.textContent = text;
  row.append(th);
}

function riskTable(r) {
  const table = $("patient-risk");
  table.replaceChildren();
  const h = r.horizons;
  header(table, ["option", "falls per year", ...h.map((y) => `hip, ${y} y`), ...h.map((y) => `major, ${y} y`)]);
  const body = table.createTBody();
  for (const o of r.options) {
    const row = body.insertRow();
    row.dataset.option = o.key;
    rowHeader(row, o.label);
    cell(row, o.falls_per_year, "falls", 3);
    h.forEach((y, i) => cell(row, o.hip[i], `hip-${y}`, 2, " %"));
    h.forEach((y, i) => cell(row, o.major[i], `major-${y}`, 2, " %"));
  }
  table.createCaption().textContent = "Probability of a first fracture within each horizon (competing mortality included)";
}

function effectsTable(r) {
  const table = $("patient-effects");
  table.replaceChildren();
  header(table, ["against no drug", "hip ratio", "hip added (pp)", "through bone (pp)", "through falls (pp)",
    "major ratio", "major added (pp)", "through bone (pp)", "through falls (pp)"]);
  const body = table.createTBody();
  for (const e of r.effects) {
    const row = body.insertRow();
    row.dataset.effect = e.key;
    rowHeader(row, e.label);
    cell(row, e.hip_ratio, "hip-ratio");
    cell(row, e.hip_added, "hip-added");
    cell(row, e.hip_through_bone, "hip-through-bone");
    cell(row, e.hip_through_falls, "hip-through-falls");
    cell(row, e.major_ratio, "major-ratio");
    cell(row, e.major_added, "major-added");
    cell(row, e.major_through_bone, "major-through-bone");
    cell(row, e.major_through_falls, "major-through-falls");
  }
  const last = r.horizons[r.horizons.length - 1];
  table.createCaption().textContent = `At ${last} years; pp = percentage points of probability`;
}

function render(r) {
  $("patient-summary").textContent = `${r.sex} aged ${r.age}: femoral-neck BMD ${r.femoral_neck_bmd.toFixed(3)} g/cm² ` +
    `(T-score ${r.t_score.toFixed(1)}, Z-score ${r.z_score.toFixed(1)}, ${r.category}; ${r.bmd_source}).`;
  const series = r.options.map((o) => ({ key: o.key, label: o.label, x: o.trajectory.map((p) => p.years),
    y: o.trajectory.map((p) => p.femoral_neck_bmd) }));
  const bmd = $("patient-bmd");
  const caption = document.createElement("figcaption");
  caption.textContent = "Femoral-neck BMD (g/cm²) over the years ahead";
  bmd.replaceChildren(caption, lineChart({ title: "Femoral-neck BMD", xLabel: "years from now",
    yLabel: "femoral-neck BMD (g/cm²)", series, keyAttr: "data-option" }), legend(series));
  const last = r.horizons.length - 1;
  const bars = $("patient-bars");
  const barCaption = document.createElement("figcaption");
  barCaption.textContent = `${r.horizons[last]}-year fracture probability (%) by option`;
  bars.replaceChildren(barCaption, barChart({ title: "fracture probability", yLabel: "probability (%)",
    bars: [`hip, ${r.horizons[last]} y`, `major osteoporotic, ${r.horizons[last]} y`],
    groups: r.options.map((o) => ({ label: o.label, values: [o.hip[last], o.major[last]] })) }));
  riskTable(r);
  effectsTable(r);
  $("patient-disclaimer").textContent = [r.disclaimer, ...r.caveats.map((c) => `Caveat: ${c}.`)].join(" ");
  $("patient-results").hidden = false;
}
