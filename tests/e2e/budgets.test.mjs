// Budgets in the extension: the options page refuses a malformed budget with the engine's
// message (file, line:column, pointer, suggestion) and stores nothing; a saved budget is
// checked in the reports of that origin's pages; without one, the built-in budget applies.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { pollUntil, waitForReport } from '../../scripts/lib/browsers.mjs';
import { browserSuite } from '../support/suite.mjs';

/** Fills the options page's form and presses a button; returns the status text after it changes. */
async function submit(page, { origin, text, button = 'save' }) {
  await page.evaluate(({ origin, text, button }) => {
    document.getElementById('status').textContent = '';
    document.getElementById('origin').value = origin;
    if (text !== undefined) document.getElementById('budget').value = text;
    document.getElementById(button).click();
  }, { origin, text, button });
  return pollUntil(() => page.evaluate(() => document.getElementById('status').textContent));
}

for (const browser of ['chromium', 'firefox']) {
  describe(`budgets in ${browser}`, () => {
    const suite = browserSuite(browser);

    test('the options page refuses a bad budget and a saved one is checked in the report', async () => {
      const { session, server } = suite;
      const options = await session.openExtensionPage('options.html');
      const origin = new URL(server.url).origin;

      const refused = await submit(options, {
        origin,
        text: '[{"timings": [{"metric": "lcp", "budget": 2500}]}]',
      });
      assert.match(refused, /^Not saved\. budget\.json:1:\d+: \/0\/timings\/0\/metric: .*largest-contentful-paint/);
      const stored = await session.extensionEval(() => (globalThis.browser ?? chrome).storage.local.get(null));
      assert.deepEqual(Object.keys(stored).filter((k) => k.startsWith('budget:')), [], 'nothing stored');

      const saved = await submit(options, {
        origin,
        text: '[{"path": "/basic.html", "timings": [{"metric": "first-contentful-paint", "budget": 1}]}]',
      });
      assert.match(saved, /^Saved for /);
      const url = `${server.url}/basic.html?budget`;
      const page = await session.open(url);
      const { report } = await waitForReport(session, url, (r) => r.metrics.FCP && r.budgets?.evaluation);
      const evaluation = report.budgets.evaluation;
      assert.equal(evaluation.status, 'fail');
      const [result] = evaluation.groups[0].results;
      assert.equal(result.status, 'fail');
      assert.equal(result.measured, report.metrics.FCP.value);
      assert.equal(result.limit, 1);
      assert.ok(result.over > 0);
      await page.close();

      // Removed: the origin's pages fall back to the built-in budget (Core Web Vitals good).
      assert.match(await submit(options, { origin, button: 'remove' }), /^Removed/);
      const other = `${server.url}/basic.html?builtin`;
      const second = await session.open(other);
      const { report: builtIn } = await waitForReport(session, other, (r) => r.metrics.FCP && r.budgets?.evaluation);
      assert.equal(builtIn.budgets.evaluation.format, 'default');
      await second.close();
      await options.close();
    });
  });
}
