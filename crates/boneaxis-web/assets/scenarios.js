// Any shipped scenario, with an optional duration override; errors next to the field.

import { api } from "./api.js";
import { renderPlots, renderTable } from "./study.js";
import { showErrors, clearErrors } from "./forms.js";

let list = [];

export async function start() {
  const select = document.getElementById("scenario-select");
  const form = document.getElementById("scenario-form");
  try {
    list = await api("/api/scenarios");
  } catch (e) {
    document.getElementById("scenario-error").textContent = e.message;
    return;
  }
  for (const s of list) select.add(new Option(`${s.title} (${s.name})`, s.name));
  select.addEventListener("change", describe);
  describe();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
}

function describe() {
  const s = list.find((x) => x.name === document.getElementById("scenario-select").value);
  if (!s) return;
  const population = s.population_size ? ` Its virtual population (${s.population_size} subjects) runs with \`boneaxis study\`; here each arm runs as one individual.` : "";
  document.getElementById("scenario-description").textContent =
    `${s.species}, ${s.sex}, ${s.arms.length} arms, ${s.duration_days} days. ${s.description || ""}${population}`;
}

const FIELDS = { "scenario.duration": "scenario-duration" };

async function run() {
  const form = document.getElementById("scenario-form");
  const button = document.getElementById("scenario-run");
  const status = document.getElementById("scenario-status");
  clearErrors(form, "scenario-error");
  const body = { scenario: document.getElementById("scenario-select").value };
  const duration = document.getElementById("scenario-duration").value.trim();
  if (duration) body.overrides = { scenario: { duration } };
  button.disabled = true;
  status.textContent = "Simulating…";
  try {
    const result = await api("/api/run", body);
    renderPlots(document.getElementById("scenario-plots"), result, result.readouts.map((r) => r.name));
    renderTable(document.getElementById("scenario-table"), result);
    status.textContent = `${result.arms.length} arms simulated in ${result.elapsed_ms.toFixed(1)} ms.`;
  } catch (e) {
    status.textContent = "";
    showErrors(e, FIELDS, "scenario-error");
  } finally {
    button.disabled = false;
  }
}
