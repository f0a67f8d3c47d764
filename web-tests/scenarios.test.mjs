// The scenarios view: pick a shipped scenario other than the seed, run it, see its plots.
import { after, before, test } from 'node:test';
import { api, eq, newPage, noProblems, ok, openSession, openView, screenshot } from './lib/harness.mjs';

const NAME = 'knockout_panel';
let session;
before(async () => { session = await openSession(); });
after(() => session?.close());

// /api/scenarios may list arms and readouts as names or as objects with a name.
const names = (list) => (list ?? []).map((x) => (typeof x === 'string' ? x : x.name));

test(`running ${NAME} plots every readout and arm`, { timeout: 90_000 }, async () => {
  const listed = await api('/api/scenarios');
  eq(listed.status, 200, 'GET /api/scenarios status');
  const scenario = listed.json.find?.((s) => s.name === NAME);
  ok(scenario, `GET /api/scenarios lists ${NAME}`, listed.text.slice(0, 300));
  const { page, problems } = await newPage(session);
  await openView(page, 'scenarios');
  await page.locator(`select#scenario-select option[value="${NAME}"]`).waitFor({ state: 'attached' });
  await page.selectOption('select#scenario-select', NAME);
  await page.click('#scenario-run');
  const readouts = names(scenario.readouts);
  await page.waitForFunction((n) => document.querySelectorAll('#scenario-plots figure[data-readout]').length === n,
    readouts.length, { timeout: 60_000 }).catch(() => {});
  const figures = await page.$$eval('#scenario-plots figure[data-readout]', (fs) => fs.map((f) => ({
    readout: f.dataset.readout, arms: [...f.querySelectorAll('svg path[data-arm]')].map((p) => p.dataset.arm),
  })));
  const status = await page.evaluate(() => document.querySelector('#scenario-status')?.textContent ?? '(no #scenario-status)');
  eq(figures.map((f) => f.readout), readouts, `#scenario-plots figures (status: ${JSON.stringify(status)})`);
  for (const f of figures) eq([...f.arms].sort(), names(scenario.arms).sort(), `path[data-arm] in the ${f.readout} figure`);
  await screenshot(page, `scenarios-${NAME}`);
  noProblems(problems, 'scenarios view');
  await page.close();
});
