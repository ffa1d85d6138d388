// The headless module (headless/index.mjs) in inject mode: no extension, the agent as a
// Playwright init script, the engine in Node. Its report equals web-vitals injected into the
// same page load, as the extension's does, and the response headers it keeps are only the
// whitelisted ones.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { assertBudget, attach, checkBudget, clearBrowsingState, pagevitalsMatchers } from '../../headless/index.mjs';
import { ROOT } from '../../scripts/lib/browsers.mjs';
import { serve } from '../../scripts/lib/server.mjs';
import { oracleInitScript, oracleViews } from '../support/oracle.mjs';

describe('headless inject mode in chromium (playwright, no extension)', () => {
  let server;
  let context;
  let session;
  before(async () => {
    server = await serve(join(ROOT, 'tests/sites/fixtures'));
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'pv-headless-')), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    session = await attach(context);
    await context.addInitScript(oracleInitScript);
  });
  after(async () => {
    await context?.close();
    await server?.close();
  });

  test('the report equals web-vitals in the same page load, and only whitelisted headers are kept', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/headers.html`, { waitUntil: 'load' });
    await page.click('body');
    const report = await session.finish(page, { leaveTo: `${server.url}/next.html` });
    const [oracle] = await oracleViews(page, '/headers.html');
    for (const name of ['FCP', 'TTFB', 'LCP', 'CLS']) {
      assert.ok(oracle[name], `web-vitals reported ${name}`);
      assert.equal(report.metrics[name]?.value, oracle[name].value, `${name} value`);
      assert.deepEqual(report.metrics[name].attribution, oracle[name].attribution, `${name} attribution`);
    }
    const [view] = await session.views(page);
    const stored = JSON.stringify(view.log);
    assert.ok(!stored.includes('hunter2'), 'no cookie or private header value kept');
    assert.ok(stored.includes('product query'), `the Server-Timing header is kept: ${stored.slice(0, 300)}`);
    assert.ok(report.resources.serverTiming.length > 0, 'Server-Timing reaches the report');

    // Budget assertions over the run: a readable failure, and a matcher for @playwright/test.
    const tight = JSON.stringify([{ timings: [{ metric: 'first-contentful-paint', budget: 1 }] }]);
    assert.throws(() => assertBudget(report, tight), (error) => {
      assert.match(error.message, /^PageVitals budget budget\.json failed:\nFAIL timings first-contentful-paint: \d+ ms against 1 ms, over by \d+ ms/);
      return true;
    });
    const loose = JSON.stringify([{ timings: [{ metric: 'first-contentful-paint', budget: 60000 }] }]);
    assert.equal(assertBudget([report, report], loose).status, 'pass');
    assert.equal(pagevitalsMatchers.toMeetBudget(report, tight).pass, false);
    assert.match(pagevitalsMatchers.toMeetBudget(report, '[{"timings":[{"metric":"lcp","budget":1}]}]').message(), /largest-contentful-paint/);
    assert.equal(checkBudget(report).format, 'default', 'no budget text: the built-in budget');
    await page.close();
  });

  test('clearBrowsingState makes the next run of a page a first visit again', async () => {
    const run = async (clear) => {
      const page = await context.newPage();
      if (clear) await clearBrowsingState(page, [server.url]);
      await page.goto(`${server.url}/cold.html?headless`, { waitUntil: 'load' });
      const carried = await page.evaluate(() => window.marked);
      const report = await session.finish(page);
      await page.close();
      const hits = report.resources.requests.filter((q) => q.cacheHit).map((q) => new URL(q.url).pathname);
      return { hits, bytes: report.resources.total.transferSize, carried };
    };
    const first = await run(true);
    const repeat = await run(false);
    const cleared = await run(true);
    assert.deepEqual(first.hits, []);
    assert.ok(repeat.hits.includes('/cold.js') && repeat.carried.controlled, `without clearing, a repeat view: ${JSON.stringify(repeat)}`);
    assert.deepEqual(cleared.hits, []);
    assert.equal(cleared.bytes, first.bytes);
    assert.deepEqual(cleared.carried, { cookie: false, localStorage: false, controlled: false, indexedDB: false });
  });
});
