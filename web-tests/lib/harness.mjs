// Shared plumbing of the browser tests: where the server and the CLI are, one headless Debian
// Chromium per test file, pages that record every console error, and assertions that always
// print what was expected next to what was found.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The server under test; scripts/test-web starts it and sets this. */
export const BASE = requiredEnv('BONEAXIS_URL').replace(/\/$/, '');
/** The CLI binary the page's numbers are checked against. */
export const BIN = resolve(repo, process.env.BONEAXIS_BIN ?? 'target/release/boneaxis');
export const ARTIFACTS = resolve(repo, process.env.BONEAXIS_ARTIFACTS ?? 'target/web-artifacts');
export const VIEWS = ['cms', 'patient', 'scenarios', 'model'];
export const CMS_READOUTS = [
  'bone.distal_femur.bv_tv',
  'bone.distal_femur.bone_formation_rate',
  'sympathetic.bone_norepinephrine',
  'hpa.corticosterone',
  'mood.sucrose_preference',
];

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through scripts/test-web`);
  return value;
}

// Playwright cannot download a browser on this closed network, and Chromium must not try to
// reach Google either (QUIC, component updates, sync would hang or log errors).
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A fresh browser and context for one test file; close it with `session.close()`. */
export async function openSession(contextOptions = {}) {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  context.setDefaultTimeout(20_000);
  return { browser, context, close: () => browser.close() };
}

/**
 * A new page that records console errors, uncaught exceptions, failed requests and any
 * request that leaves the server (the page must need nothing from elsewhere).
 */
export async function newPage(session) {
  const page = await session.context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(BASE) && !/^(data|blob|about):/.test(url)) problems.push(`request off the server: ${url}`);
  });
  return { page, problems };
}

/** Loads `/#view` and waits until its section is the only one shown. */
export async function openView(page, view) {
  await page.goto(`${BASE}/#${view}`);
  await expectOnlyViewShown(page, view);
}

export async function expectOnlyViewShown(page, view) {
  await page.locator(`section#view-${view}`).waitFor({ state: 'visible' });
  const hidden = await page.$$eval('section[id^="view-"]', (sections) =>
    sections.map((s) => [s.id, s.hasAttribute('hidden')]));
  const expected = VIEWS.map((v) => [`view-${v}`, v !== view]).sort();
  eq(hidden.sort(), expected, `sections and their hidden attribute with #${view} open`);
}

// What each view shows once its content has arrived (plots and tables are what could overflow,
// and screenshots should not be of an empty view).
const READY = {
  cms: (page) => waitForText(page, '#cms-status', 'simulated'),
  patient: (page) => page.locator('form#patient-form').waitFor(),
  scenarios: (page) => page.locator('select#scenario-select option[value="cms_mouse"]').waitFor({ state: 'attached' }),
  model: (page) => page.locator('table#parameter-table tbody tr').first().waitFor(),
};

export const viewReady = (page, view) => READY[view](page);

/** A full-page screenshot, cut at 4000 px: the parameter table alone is ~28000 px tall. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { width, height } = await page.evaluate(() =>
    ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
  const clip = { x: 0, y: 0, width, height: Math.min(height, 4000) };
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true, clip });
}

/** Waits until the element's text contains `text`; on timeout says what the text was. */
export async function waitForText(page, selector, text, timeout = 30_000) {
  try {
    await page.waitForFunction(
      ([sel, t]) => document.querySelector(sel)?.textContent.includes(t), [selector, text], { timeout });
  } catch (e) {
    const actual = await page.locator(selector).first().textContent({ timeout: 1000 }).catch(() => '(no such element)');
    assert.fail(`${selector} should contain "${text}" within ${timeout} ms; its text is ${JSON.stringify(actual)}`);
  }
}

/** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
export async function tabTo(page, selector, max = 40) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const [matches, what] = await page.evaluate((sel) => {
      const a = document.activeElement;
      return [!!a?.matches(sel), a ? a.outerHTML.slice(0, 60) : 'none'];
    }, selector);
    if (matches) return;
    seen.push(what);
  }
  assert.fail(`${selector} not reached after ${max} Tab presses; focus went through:\n  ${seen.join('\n  ')}`);
}

export function eq(actual, expected, what) {
  assert.deepStrictEqual(actual, expected,
    `${what}\n  expected: ${JSON.stringify(expected)}\n  actual:   ${JSON.stringify(actual)}`);
}

export function ok(condition, what, details = '') {
  assert.ok(condition, details ? `${what}\n  ${details}` : what);
}

/** Equal within a relative tolerance (the browser and the CLI are separate runs). */
export function near(actual, expected, rel, what) {
  const tolerance = rel * Math.max(Math.abs(expected), Number.MIN_VALUE);
  assert.ok(Number.isFinite(actual) && Math.abs(actual - expected) <= tolerance,
    `${what}\n  expected: ${expected} (rel ${rel})\n  actual:   ${actual}`);
}

export function noProblems(problems, what) {
  eq(problems, [], `${what}: no console errors, page errors or failed requests`);
}

const exec = promisify(execFile);

/** Runs the CLI and returns its standard output. */
export async function cli(...args) {
  const { stdout } = await exec(BIN, args, { cwd: repo, maxBuffer: 64 << 20 });
  return stdout;
}

/** Runs the CLI expecting failure; returns its exit code and standard error. */
export async function cliFailure(...args) {
  try {
    await exec(BIN, args, { cwd: repo });
  } catch (e) {
    return { code: e.code, stderr: e.stderr };
  }
  assert.fail(`boneaxis ${args.join(' ')} should have failed`);
}

/** A JSON request to the API; returns status and the parsed body (or the text if not JSON). */
export async function api(path, { method = 'GET', body, raw } = {}) {
  const init = { method, headers: {} };
  if (body !== undefined || raw !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = raw ?? JSON.stringify(body);
  }
  const response = await fetch(`${BASE}${path}`, init);
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, json, text, type: response.headers.get('content-type') };
}

export { repo, assert };
