// Keyboard alone: reach the patient view from a fresh load with Tab and Enter, then fill and
// submit its form without the mouse.
import { after, before, test } from 'node:test';
import { BASE, eq, expectOnlyViewShown, newPage, noProblems, ok, openSession, screenshot, tabTo, waitForText } from './lib/harness.mjs';

let session;
before(async () => { session = await openSession(); });
after(() => session?.close());

/** A focused element must show it: an outline or a box shadow (WCAG 2.4.7). */
async function expectFocusVisible(page, what) {
  const style = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { outline: `${s.outlineStyle} ${s.outlineWidth}`, boxShadow: s.boxShadow };
  });
  ok(!style.outline.startsWith('none') || style.boxShadow !== 'none', `${what} shows that it has focus`,
    `outline: ${style.outline}, box-shadow: ${style.boxShadow}`);
}

/** Tabs to a field and replaces its text by typing. */
async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** Tabs to a closed select and picks an option by typing its label (type-ahead). */
async function chooseIn(page, selector, label, value) {
  await tabTo(page, selector);
  await page.keyboard.type(label);
  eq(await page.$eval(selector, (s) => s.value), value, `${selector} value after typing "${label}"`);
}

test('the patient view works with the keyboard alone', { timeout: 60_000 }, async () => {
  const { page, problems } = await newPage(session);
  await page.goto(`${BASE}/`);
  await tabTo(page, 'a[href="#patient"]');
  await expectFocusVisible(page, 'the #patient link');
  await page.keyboard.press('Enter');
  await expectOnlyViewShown(page, 'patient');

  await typeInto(page, '#patient-age', '70');
  await chooseIn(page, '#patient-sex', 'female', 'female');
  await expectFocusVisible(page, '#patient-sex');
  await chooseIn(page, '#patient-drug', 'sertraline', 'sertraline');
  await typeInto(page, '#patient-dose', '50mg');
  await page.keyboard.press('Enter');

  await waitForText(page, '#patient-status', 'done');
  const options = await page.$$eval('#patient-risk tr[data-option]', (rows) => rows.map((r) => r.dataset.option));
  eq(options, ['no_drug', 'drug'], '#patient-risk rows after a keyboard-only submit');
  await screenshot(page, 'keyboard-patient');
  noProblems(problems, 'keyboard-only use');
  await page.close();
});
