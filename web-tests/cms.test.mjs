// The CMS view: the seed experiment runs on open, and what the page shows is exactly what the
// API returns, which is exactly what `boneaxis run scenarios/cms_mouse.toml` writes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CMS_READOUTS, api, cli, eq, newPage, noProblems, ok, openSession, openView, screenshot, waitForText } from './lib/harness.mjs';

const BV_TV = 'bone.distal_femur.bv_tv';

let session, run;
before(async () => {
  session = await openSession();
  const response = await api('/api/run', { method: 'POST', body: { scenario: 'cms_mouse' } });
  eq(response.status, 200, `POST /api/run cms_mouse status (body: ${response.text.slice(0, 300)})`);
  run = response.json;
});
after(() => session?.close());

/** End-of-study value of every arm and readout of an API run: {arm: {readout: value}}. */
function finalValues(result) {
  return Object.fromEntries(result.arms.map((arm) => [arm.name,
    Object.fromEntries(result.readouts.map((r, i) => [r.name, arm.values[i].at(-1)]))]));
}

/** The CLI's results.json rows regrouped as {arm: {readout: [[time, value]...]}}. */
async function cliSeries() {
  const dir = mkdtempSync(join(tmpdir(), 'boneaxis-cms-'));
  try {
    await cli('run', 'scenarios/cms_mouse.toml', '--out', dir);
    const series = {};
    for (const row of JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))) {
      ((series[row.arm] ??= {})[row.variable] ??= []).push([row.time, row.value]);
    }
    return series;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the API run equals the CLI run, every time point', async () => {
  const series = await cliSeries();
  eq(run.arms.map((a) => a.name), Object.keys(series), 'arms, API vs CLI');
  for (const arm of run.arms) {
    run.readouts.forEach((readout, i) => {
      const expected = series[arm.name][readout.name];
      ok(expected, `CLI results.json has ${arm.name} / ${readout.name}`);
      eq(arm.times_days, expected.map(([t]) => t), `times of ${arm.name} / ${readout.name}, API vs CLI`);
      eq(arm.values[i], expected.map(([, v]) => v), `values of ${arm.name} / ${readout.name}, API vs CLI`);
    });
  }
});

test('the CMS view plots the run and tabulates its end-of-study values', { timeout: 60_000 }, async () => {
  const { page, problems } = await newPage(session);
  await openView(page, 'cms');
  await waitForText(page, '#cms-status', 'simulated');
  await expectPlots(page, run.arms.map((a) => a.name));
  await expectTable(page, finalValues(run));
  await screenshot(page, 'cms-simulated');
  noProblems(problems, 'CMS view');
  await page.close();
});

async function expectPlots(page, arms) {
  const figures = await page.$$eval('#cms-plots figure', (fs) => fs.map((f) => ({
    readout: f.dataset.readout,
    arms: [...f.querySelectorAll('svg path[data-arm]')].map((p) => p.dataset.arm),
  })));
  eq(figures.map((f) => f.readout), CMS_READOUTS, 'figures in #cms-plots (data-readout)');
  for (const f of figures) eq([...f.arms].sort(), [...arms].sort(), `path[data-arm] in the ${f.readout} figure`);
}

async function expectTable(page, expected) {
  const cells = await page.$$eval('#cms-table tr[data-readout] td[data-arm]', (tds) => tds.map((td) => ({
    readout: td.closest('tr').dataset.readout, arm: td.dataset.arm, value: td.dataset.value,
  })));
  ok(cells.length > 0, '#cms-table has tr[data-readout] td[data-arm] cells');
  const rows = new Set(cells.map((c) => c.readout));
  for (const r of CMS_READOUTS) ok(rows.has(r), `#cms-table has a row for ${r}`, `rows: ${[...rows].join(', ')}`);
  for (const c of cells) {
    ok(c.value !== undefined, `${c.readout} / ${c.arm} cell has data-value`);
    eq(Number(c.value), expected[c.arm]?.[c.readout], `#cms-table ${c.readout} / ${c.arm} data-value vs the API`);
  }
  const bvtv = (arm) => Number(cells.find((c) => c.readout === BV_TV && c.arm === arm)?.value);
  ok(bvtv('cms') < bvtv('untreated'), 'stress lowers end-of-study BV/TV',
    `cms ${bvtv('cms')} should be below untreated ${bvtv('untreated')}`);
}
