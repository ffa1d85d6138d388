// The walking skeleton, end to end in real browsers: the agent runs in the page, the
// background builds and stores a report, and its FCP and TTFB equal what the web-vitals
// package reports in the same page load. On an ordinary page and under a strict CSP, in
// Chromium (playwright-core) and Firefox ESR (puppeteer-core over WebDriver BiDi).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { waitForReport } from '../../scripts/lib/browsers.mjs';
import { oracleInitScript, oracleMetrics } from '../support/oracle.mjs';
import { browserSuite } from '../support/suite.mjs';

const hasFcpAndTtfb = (report) => report.metrics.FCP && report.metrics.TTFB;

for (const browser of ['chromium', 'firefox']) {
  describe(`skeleton in ${browser}`, () => {
    const suite = browserSuite(browser);

    for (const [fixture, csp] of [['basic.html', false], ['strict-csp.html', true], ['csp-none.html', true]]) {
      test(`${fixture}: FCP and TTFB equal web-vitals`, async () => {
        const url = `${suite.server.url}/${fixture}`;
        const page = await suite.session.open(url, { initScript: oracleInitScript });
        const oracle = await oracleMetrics(page, ['FCP', 'TTFB']);
        const { log, report } = await waitForReport(suite.session, url, hasFcpAndTtfb);

        // Same entries, same arithmetic: exact equality.
        for (const name of ['FCP', 'TTFB']) {
          const ours = report.metrics[name];
          assert.equal(ours.value, oracle[name].value, `${name} value`);
          assert.equal(ours.rating, oracle[name].rating, `${name} rating`);
          assert.equal(ours.navigationType, oracle[name].navigationType, `${name} navigationType`);
          assert.deepEqual(ours.attribution, oracle[name].attribution, `${name} attribution`);
        }

        assert.ok(report.metrics.FCP.value > 0, 'FCP is a real paint time');
        assert.equal(report.page.url, url);
        assert.ok(report.entryCounts.navigation >= 1 && report.entryCounts.paint >= 1);

        // The agent's form: Chromium must fall back to the wasm2js form under the strict CSP;
        // everywhere else the wasm module compiles.
        const expectedForm = browser === 'chromium' && csp ? 'js' : 'wasm';
        assert.equal(log.page.agentForm, expectedForm, 'agent form');
        await page.close();
      });
    }

    test('unsupported entry types are listed, not reported as zero', async () => {
      const url = `${suite.server.url}/basic.html?unsupported`;
      const page = await suite.session.open(url);
      const { report } = await waitForReport(suite.session, url, hasFcpAndTtfb);
      if (browser === 'firefox') {
        for (const type of ['layout-shift', 'longtask', 'long-animation-frame']) {
          assert.ok(report.unsupportedEntryTypes.includes(type), `${type} unsupported in Firefox`);
        }
      } else {
        assert.ok(!report.unsupportedEntryTypes.includes('layout-shift'));
      }
      await page.close();
    });
  });
}
