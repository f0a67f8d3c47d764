// Every view loads on its own, hides the others, and runs without a console error.
import { after, before, test } from 'node:test';
import { VIEWS, expectOnlyViewShown, newPage, noProblems, openSession, openView, screenshot, viewReady } from './lib/harness.mjs';

let session;
before(async () => { session = await openSession(); });
after(() => session?.close());


for (const view of VIEWS) {
  test(`view #${view} loads alone`, { timeout: 60_000 }, async () => {
    const { page, problems } = await newPage(session);
    await openView(page, view);
    await viewReady(page, view);
    await screenshot(page, view);
    noProblems(problems, `#${view}`);
    await page.close();
  });
}

test('the navigation links switch views', { timeout: 60_000 }, async () => {
  const { page, problems } = await newPage(session);
  await openView(page, 'cms');
  for (const view of [...VIEWS.slice(1), 'cms']) {
    await page.click(`a[href="#${view}"]`);
    await expectOnlyViewShown(page, view);
  }
  noProblems(problems, 'switching views');
  await page.close();
});
