// A narrow (phone-sized) screen: no view may scroll sideways.
import { after, before, test } from 'node:test';
import { VIEWS, newPage, noProblems, ok, openSession, openView, screenshot, viewReady, waitForText } from './lib/harness.mjs';

let session;
before(async () => { session = await openSession({ viewport: { width: 375, height: 740 }, isMobile: false }); });
after(() => session?.close());


for (const view of VIEWS) {
  test(`#${view} fits a 375 px wide screen`, { timeout: 60_000 }, async () => {
    const { page, problems } = await newPage(session);
    await openView(page, view);
    await viewReady(page, view);
    const { scrollWidth, innerWidth, widest } = await page.evaluate(widthReport);
    ok(scrollWidth <= innerWidth + 1, `#${view} has no horizontal overflow at 375 px`,
      `document scrollWidth ${scrollWidth} > window width ${innerWidth}; widest elements: ${widest}`);
    await screenshot(page, `narrow-${view}`);
    noProblems(problems, `#${view} at 375 px`);
    await page.close();
  });
}

// The patient answer is the widest content (two tables of many columns and two plots).
test('the patient answer fits a 375 px wide screen', { timeout: 60_000 }, async () => {
  const { page, problems } = await newPage(session);
  await openView(page, 'patient');
  await page.fill('#patient-age', '70');
  await page.selectOption('#patient-drug', 'sertraline');
  await page.fill('#patient-dose', '50mg');
  await page.fill('#patient-alternative', 'escitalopram 10mg, stop');
  await page.click('#patient-submit');
  await waitForText(page, '#patient-status', 'done');
  const { scrollWidth, innerWidth, widest } = await page.evaluate(widthReport);
  ok(scrollWidth <= innerWidth + 1, 'the patient answer has no horizontal overflow at 375 px',
    `document scrollWidth ${scrollWidth} > window width ${innerWidth}; widest elements: ${widest}`);
  await screenshot(page, 'narrow-patient-result');
  noProblems(problems, 'patient answer at 375 px');
  await page.close();
});

/** In the page: the document's width, and which elements stick out (to say what to fix). */
function widthReport() {
  const innerWidth = window.innerWidth;
  const widest = [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && e.checkVisibility())
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''} (right ${Math.round(e.getBoundingClientRect().right)})`)
    .join(', ');
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth, widest };
}
