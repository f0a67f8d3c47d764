// The patient view: a submitted form shows exactly the numbers `boneaxis patient --json` prints
// for the same person, and an invalid field gets the API's message next to it.
import { after, before, test } from 'node:test';
import { cli, cliFailure, eq, near, newPage, noProblems, ok, openSession, openView, screenshot, waitForText } from './lib/harness.mjs';

let session;
before(async () => { session = await openSession(); });
after(() => session?.close());

const PERSON = { age: '70', sex: 'female', drug: 'sertraline', dose: '50mg', alternative: 'escitalopram 10mg, stop' };
const CLI_ARGS = ['patient', '--age', '70', '--sex', 'female', '--drug', 'sertraline', '--dose', '50mg',
  '--alternative', 'escitalopram 10mg', '--alternative', 'stop', '--json'];

/** Non-breaking and thin spaces count as spaces; the page may use either between number and unit. */
const clean = (s) => s.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/\s+/g, ' ').trim();

async function fillForm(page, person) {
  await page.fill('#patient-age', person.age);
  await page.selectOption('#patient-sex', person.sex);
  if (person.drug !== undefined) await page.selectOption('#patient-drug', person.drug);
  if (person.dose !== undefined) await page.fill('#patient-dose', person.dose);
  if (person.alternative !== undefined) await page.fill('#patient-alternative', person.alternative);
  await page.click('#patient-submit');
}

test('a patient form shows the CLI numbers', { timeout: 60_000 }, async () => {
  const expected = JSON.parse(await cli(...CLI_ARGS));
  const { page, problems } = await newPage(session);
  await openView(page, 'patient');
  await fillForm(page, PERSON);
  await waitForText(page, '#patient-status', 'done');
  await expectRisks(page, expected);
  await expectEffects(page, expected);
  await expectBmdPlot(page, expected);
  await screenshot(page, 'patient-result');
  noProblems(problems, 'patient view');
  await page.close();
});

/** Every table cell as {row key: {field: {text, value}}}. */
async function cellsOf(page, table, rowKey) {
  return page.$$eval(`${table} tr[data-${rowKey}]`, (rows, key) => Object.fromEntries(rows.map((tr) => [
    tr.dataset[key],
    Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map((td) =>
      [td.dataset.field, { text: td.textContent, value: td.dataset.value }])),
  ])), rowKey);
}

async function expectRisks(page, expected) {
  const rows = await cellsOf(page, '#patient-risk', 'option');
  eq(Object.keys(rows), expected.options.map((o) => o.key), '#patient-risk rows (data-option)');
  for (const option of expected.options) {
    for (const kind of ['hip', 'major']) {
      expected.horizons.forEach((years, i) => {
        const field = `${kind}-${years}`;
        const cell = rows[option.key][field];
        const where = `#patient-risk ${option.key} ${field}`;
        ok(cell, `${where} exists`, `cells: ${Object.keys(rows[option.key]).join(', ')}`);
        // The JSON's probabilities are already in percent (report.rs: "Probability (%)").
        eq(clean(cell.text), `${option[kind][i].toFixed(2)} %`, `${where} text`);
        near(Number(cell.value), option[kind][i], 1e-9, `${where} data-value`);
      });
    }
  }
}

// The effects table: ratios, and percentage points added at the last horizon (report.rs).
const EFFECT_FIELDS = {
  'hip-ratio': 'hip_ratio', 'major-ratio': 'major_ratio',
  'hip-through-bone': 'hip_through_bone', 'hip-through-falls': 'hip_through_falls',
};

async function expectEffects(page, expected) {
  const rows = await cellsOf(page, '#patient-effects', 'effect');
  eq(Object.keys(rows), expected.effects.map((e) => e.key), '#patient-effects rows (data-effect)');
  for (const effect of expected.effects) {
    for (const [field, json] of Object.entries(EFFECT_FIELDS)) {
      const cell = rows[effect.key][field];
      const where = `#patient-effects ${effect.key} ${field}`;
      ok(cell, `${where} exists`, `cells: ${Object.keys(rows[effect.key]).join(', ')}`);
      eq(shownNumber(cell.text), effect[json].toFixed(2), `${where} text (two decimals; a sign or unit may surround it)`);
      near(Number(cell.value), effect[json], 1e-9, `${where} data-value`);
    }
  }
}

/** The number a cell shows, without a leading "+" or a unit; "−" (minus sign) read as "-". */
function shownNumber(text) {
  const m = clean(text).replace(/\u2212/g, '-').match(/-?\d+(\.\d+)?/);
  const shown = m ? m[0] : clean(text);
  return shown === '-0.00' ? '0.00' : shown;
}

async function expectBmdPlot(page, expected) {
  const paths = await page.$$eval('figure#patient-bmd svg path[data-option]', (ps) => ps.map((p) => p.dataset.option));
  eq([...paths].sort(), expected.options.map((o) => o.key).sort(), 'figure#patient-bmd path[data-option]');
}

test('an age out of range is refused next to the field', { timeout: 60_000 }, async () => {
  const { stderr } = await cliFailure('patient', '--age', '150', '--sex', 'female');
  ok(/40 to 90/.test(stderr), 'the CLI names the allowed ages', stderr);
  const { page, problems } = await newPage(session);
  await openView(page, 'patient');
  await fillForm(page, { age: '150', sex: 'female' });
  const error = page.locator('#patient-age-error');
  await error.waitFor({ state: 'visible' }).catch(() => {});
  // If the browser's own validation (min/max without novalidate) blocked the submit, say so.
  const native = await page.$eval('#patient-age', (i) => i.validationMessage);
  ok(await error.isVisible(), '#patient-age-error is visible after submitting age 150',
    `the browser's validation message on #patient-age: ${JSON.stringify(native)}`);
  const message = clean(await error.textContent());
  ok(/\b40\b/.test(message) && /\b90\b/.test(message), '#patient-age-error names the allowed range 40–90',
    `message: ${JSON.stringify(message)}`);
  const shown = await page.locator('#patient-risk tr[data-option]').evaluateAll((rows) =>
    rows.filter((r) => r.checkVisibility()).length);
  eq(shown, 0, 'visible #patient-risk rows after an invalid form');
  const status = await page.evaluate(() => document.querySelector('#patient-status')?.textContent ?? '');
  ok(!status.includes('done'), '#patient-status does not say done', `status: ${JSON.stringify(status)}`);
  await screenshot(page, 'patient-invalid');
  // The API's 422 is expected; Chromium logs the failed fetch as a console error.
  noProblems(problems.filter((p) => !/status of 422/.test(p)), 'invalid patient form');
  await page.close();
});

test('a dose out of range is refused next to the dose field', { timeout: 60_000 }, async () => {
  const { page, problems } = await newPage(session);
  await openView(page, 'patient');
  await fillForm(page, { age: '70', sex: 'female', drug: 'sertraline', dose: '5000mg' });
  const error = page.locator('#patient-dose-error');
  await error.waitFor({ state: 'visible' }).catch(() => {});
  const other = await page.evaluate(() => document.querySelector('#patient-error')?.textContent ?? '');
  ok(await error.isVisible(), '#patient-dose-error is visible after submitting sertraline 5000mg',
    `#patient-error says: ${JSON.stringify(other)}`);
  const message = clean(await error.textContent());
  ok(/12\.5/.test(message) && /200/.test(message), '#patient-dose-error names the range 12.5–200 mg/day',
    `message: ${JSON.stringify(message)}`);
  noProblems(problems.filter((p) => !/status of 422/.test(p)), 'invalid dose');
  await page.close();
});
