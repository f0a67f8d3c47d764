// The seed's experiment: the CMS mouse study, run when the view is first shown.

import { api } from "./api.js";
import { renderPlots, renderTable } from "./study.js";

const READOUTS = [
  "bone.distal_femur.bv_tv",
  "bone.distal_femur.bone_formation_rate",
  "sympathetic.bone_norepinephrine",
  "hpa.corticosterone",
  "mood.sucrose_preference",
];

export async function start() {
  const status = document.getElementById("cms-status");
  status.textContent = "Simulating…";
  try {
    const result = await api("/api/run", { scenario: "cms_mouse" });
    renderPlots(document.getElementById("cms-plots"), result, READOUTS);
    renderTable(document.getElementById("cms-table"), result);
    status.textContent = `${result.arms.length} arms simulated in ${result.elapsed_ms.toFixed(1)} ms (${result.title}).`;
  } catch (e) {
    status.textContent = `The simulation failed: ${e.message}`;
  }
}
