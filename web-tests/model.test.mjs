// The model view: the map is drawn, the parameter table lists the whole catalog, the filter
// narrows it.
import { after, before, test } from 'node:test';
import { api, eq, newPage, noProblems, ok, openSession, openView, screenshot } from './lib/harness.mjs';

let session;
before(async () => { session = await openSession(); });
after(() => session?.close());

const visibleRows = (page) => page.locator('table#parameter-table tbody tr').evaluateAll((rows) =>
  rows.filter((r) => r.checkVisibility()).length);

test('the model map and the mouse parameter table', { timeout: 60_000 }, async () => {
  const catalog = await api('/api/parameters?species=mouse');
  eq(catalog.status, 200, 'GET /api/parameters?species=mouse status');
  const { page, problems } = await newPage(session);
  await openView(page, 'model');
  await expectMap(page);
  await page.selectOption('select#parameter-species', 'mouse');
  await page.waitForFunction((n) => document.querySelectorAll('table#parameter-table tbody tr').length === n,
    catalog.json.length, { timeout: 20_000 }).catch(() => {});
  const all = await visibleRows(page);
  ok(all > 50, 'more than 50 mouse parameters shown', `rows: ${all}`);
  eq(all, catalog.json.length, 'rows of #parameter-table vs GET /api/parameters?species=mouse');
  await expectFilter(page, all);
  await screenshot(page, 'model-filtered');
  noProblems(problems, 'model view');
  await page.close();
});

async function expectMap(page) {
  const map = await page.locator('#model-map').evaluate((e) => {
    const svg = e.tagName.toLowerCase() === 'svg' ? e : e.querySelector('svg');
    const box = svg?.getBoundingClientRect();
    return svg ? { elements: svg.querySelectorAll('*').length, width: box.width, height: box.height } : null;
  });
  ok(map, '#model-map is (or holds) an <svg>');
  ok(map.elements > 10 && map.width > 0 && map.height > 0, 'the model map is drawn', JSON.stringify(map));
}

async function expectFilter(page, all) {
  await page.locator('input#parameter-filter').pressSequentially('osteoclast');
  // The filter may be debounced: wait until the table has shrunk (or give up after 5 s).
  await page.waitForFunction((n) => [...document.querySelectorAll('table#parameter-table tbody tr')]
    .filter((r) => r.checkVisibility()).length < n, all, { timeout: 5_000 }).catch(() => {});
  const some = await visibleRows(page);
  ok(some > 0 && some < all, 'typing "osteoclast" in #parameter-filter narrows the table', `rows: ${some} of ${all}`);
  const texts = await page.locator('table#parameter-table tbody tr').evaluateAll((rows) =>
    rows.filter((r) => r.checkVisibility()).map((r) => r.textContent.toLowerCase()));
  const stray = texts.filter((t) => !t.includes('osteoclast'));
  eq(stray, [], 'rows left by the filter that do not mention "osteoclast"');
}
