// The page's router: one view per hash (#cms, #patient, #scenarios, #model); each view's
// module is told when it is first shown.

import * as cms from "./cms.js";
import * as patient from "./patient.js";
import * as scenarios from "./scenarios.js";
import * as model from "./model.js";

const VIEWS = { cms, patient, scenarios, model };
const started = new Set();

function show() {
  const name = (location.hash || "#cms").slice(1);
  const view = VIEWS[name] ? name : "cms";
  for (const key of Object.keys(VIEWS)) {
    document.getElementById(`view-${key}`).hidden = key !== view;
  }
  for (const a of document.querySelectorAll("nav a")) {
    if (a.getAttribute("href") === `#${view}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (!started.has(view)) {
    started.add(view);
    VIEWS[view].start();
  }
}

window.addEventListener("hashchange", () => {
  show();
  document.getElementById("main").focus({ preventScroll: true });
});
show();
