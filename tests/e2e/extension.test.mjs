// The extension's own guarantees, in real browsers: a page that overwrites the globals a
// measuring script would use cannot change the agent's numbers; closing a tab frees its data;
// and (Chromium) a service worker stopped mid-page loses nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { launchers, ROOT, viewsFor, waitForReport } from '../../scripts/lib/browsers.mjs';
import { serve } from '../../scripts/lib/server.mjs';

/** Saved before the page's own scripts run: the entries as the browser has them. */
const TRUTH = `(() => {
  const get = performance.getEntriesByType.bind(performance);
  window.__truth = () => {
    const nav = get('navigation')[0];
    const fcp = get('paint').filter((e) => e.name === 'first-contentful-paint')[0];
    const activation = nav.activationStart || 0;
    // A string: Playwright's result serialiser would honour the page's poisoned toJSON.
    return [Math.max(nav.responseStart - activation, 0), Math.max(fcp.startTime - activation, 0)].join(' ');
  };
})();`;

async function poll(check, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const browser of ['chromium', 'firefox']) {
  describe(`extension in ${browser}`, () => {
    let server;
    let session;
    before(async () => {
      server = await serve(join(ROOT, 'tests/sites/fixtures'));
      session = await launchers[browser]();
    });
    after(async () => {
      await session?.close();
      await server?.close();
    });

    test('a page that overwrites PerformanceObserver, JSON and Array.prototype cannot change the numbers', async () => {
      const url = `${server.url}/hostile.html`;
      const page = await session.open(url, { initScript: TRUTH });
      const [ttfb, fcp] = (await page.evaluate(() => window.__truth())).split(' ').map(Number);
      const truth = { ttfb, fcp };
      const { log, report } = await waitForReport(session, url, (r) => r.metrics.FCP && r.metrics.TTFB && r.metrics.LCP);
      assert.equal(report.metrics.FCP.value, truth.fcp);
      assert.equal(report.metrics.TTFB.value, truth.ttfb);
      assert.equal(log.page.agentForm, 'wasm');
      await page.close();
    });

    test('closing a tab frees its data', async () => {
      const url = `${server.url}/basic.html?close`;
      const page = await session.open(url);
      const { log } = await waitForReport(session, url, (r) => r.metrics.FCP);
      const id = log.page.navigationId;
      const stored = async () => {
        const states = await session.extensionStates();
        return Object.entries(states).some(
          ([key, value]) => key.endsWith(`:${id}`) || (key.startsWith('tab:') && value.views?.includes(id)),
        );
      };
      assert.ok(await stored(), 'the view is stored while the tab is open');
      await page.close();
      await poll(async () => !(await stored()), 'the closed tab to be forgotten');
    });

    if (browser === 'chromium') {
      // Firefox's event page cannot be stopped from a test here (no protocol command for it).
      test('a service worker stopped mid-page loses nothing', async () => {
        const url = `${server.url}/input.html?restart`;
        const page = await session.open(url);
        const before = await waitForReport(session, url, (r) => r.metrics.FCP && r.metrics.TTFB);
        const cdp = await session.context.newCDPSession(page);
        await cdp.send('ServiceWorker.enable');
        const stopped = new Promise((resolve) =>
          cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
            if (versions.some((v) => v.scriptURL.startsWith(session.extensionBase) && v.runningStatus === 'stopped')) resolve();
          }),
        );
        await cdp.send('ServiceWorker.stopAllWorkers');
        await stopped;
        await page.click('#slow-click');
        const after = await waitForReport(session, url, (r, s) => r.metrics.INP && s.log.page.navigationId === before.log.page.navigationId);
        assert.equal(after.report.metrics.FCP.value, before.report.metrics.FCP.value);
        assert.equal(after.report.metrics.TTFB.value, before.report.metrics.TTFB.value);
        assert.ok(after.log.records.length > before.log.records.length, 'records were appended, not replaced');
        assert.ok(after.report.metrics.INP.value >= 150, 'the slow click after the restart is measured');
        await page.close();
      });
    }
  });
}
