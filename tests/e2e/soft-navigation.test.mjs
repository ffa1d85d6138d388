// Soft navigations: a single-page app whose links push a URL and render a new view. In
// Chromium each route gets its own report (report.softNavigations) whose metrics equal what
// web-vitals v6 with `reportSoftNavs: true`, injected into the same page load, reported for
// that route; the badge follows the latest route. Firefox has no soft-navigation entries:
// no routes, and the type is listed as unsupported.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { pollUntil, waitForReport } from '../../scripts/lib/browsers.mjs';
import { softNavsOracleInitScript, softNavsOracleRoutes } from '../support/oracle.mjs';
import { METRICS } from '../support/scenarios.mjs';
import { browserSuite } from '../support/suite.mjs';
import { badgeText } from '../../extension/badge.js';

const idle = (page) =>
  page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 1000 })));

/** Opens the app, waits for the agent, and follows two routes; returns what it needs later. */
async function browse(session, serverUrl, tag) {
  const url = `${serverUrl}/spa.html?${tag}`;
  const page = await session.open(url, { initScript: softNavsOracleInitScript });
  const origin = await page.evaluate(() => performance.timeOrigin);
  const mine = (_, s) => s.log.page.timeOrigin === origin;
  await waitForReport(session, url, mine, { timeoutMs: 10_000 });
  // Reading the extension's storage opened an extension page: Chromium only recognises a soft
  // navigation in the tab in front.
  await page.bringToFront();
  for (const [i, [link, title]] of [['#to-products', 'Products'], ['#to-about', 'About']].entries()) {
    await page.click(link);
    await page.waitForFunction(`document.querySelector('h1')?.textContent === ${JSON.stringify(title)}`);
    if (session.name === 'chromium') {
      await page.waitForFunction(`performance.getEntriesByType('soft-navigation').length === ${i + 1}`);
    }
    await idle(page);
  }
  return { page, url, mine };
}

function assertSame(ours, theirs, what) {
  if (ours && theirs && typeof ours === 'object' && typeof theirs === 'object') {
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), `${what} keys`);
    for (const key of Object.keys(ours)) assertSame(ours[key], theirs[key], `${what}.${key}`);
    return;
  }
  assert.deepEqual(ours, theirs, what);
}

describe('soft navigations in chromium', () => {
  const suite = browserSuite('chromium');

  test('each route gets its own report, equal to web-vitals v6 with reportSoftNavs', async () => {
    const { session } = suite;
    const { page, url, mine } = await browse(session, suite.server.url, 'routes');
    const routesSoFar = await waitForReport(session, url, (r, s) => mine(r, s) && r.softNavigations?.length === 2);

    // The badge shows the latest route's verdict, not the page view's.
    const states = await session.extensionStates();
    const [tabKey] = Object.entries(states).find(
      ([k, v]) => k.startsWith('tab:') && v.current === routesSoFar.log.page.navigationId,
    );
    const tabId = Number(tabKey.slice('tab:'.length));
    const latest = routesSoFar.report.softNavigations.at(-1);
    await pollUntil(
      async () => (await session.extensionEval((id) => chrome.action.getBadgeText({ tabId: id }), tabId)) === badgeText(latest.verdict),
      { timeoutMs: 5_000, onTimeout: () => new Error('the badge does not show the latest route') },
    );

    // Leaving hides the page: every route's metrics are final on both sides.
    await page.goto(`${suite.server.url}/next.html`, { waitUntil: 'load' });
    const oracle = await softNavsOracleRoutes(page, '/spa.html?routes');
    const oracleRoutes = Object.entries(oracle).filter(([key]) => key !== 'page');
    assert.equal(oracleRoutes.length, 2, `web-vitals saw routes ${Object.keys(oracle)}`);

    const keyOf = (route) => `${route.page.url}#${route.page.navigationId.split(':').at(-1)}`;
    const agrees = (report) =>
      report.softNavigations?.length === 2 &&
      report.softNavigations.every((route) =>
        METRICS.every((m) => (route.metrics[m]?.value ?? null) === (oracle[keyOf(route)]?.[m]?.value ?? null)),
      );
    let state;
    try {
      state = await waitForReport(session, url, (r, s) => mine(r, s) && agrees(r), { timeoutMs: 10_000 });
    } catch {
      state = await waitForReport(session, url, mine, { timeoutMs: 5_000 });
    }
    const routes = state.report.softNavigations;
    assert.deepEqual(routes.map(keyOf), oracleRoutes.map(([key]) => key), 'the same routes, in order');
    for (const route of routes) {
      const theirs = oracle[keyOf(route)];
      assert.equal(route.page.startTime, theirs.FCP.navigationStartTime, 'route start');
      for (const name of METRICS) {
        const ours = route.metrics[name];
        if (!theirs[name]) {
          assert.equal(ours, undefined, `${keyOf(route)} ${name}: reported, but web-vitals did not`);
          continue;
        }
        assert.ok(ours, `${keyOf(route)} ${name}: missing; web-vitals reported ${JSON.stringify(theirs[name])}`);
        for (const field of ['value', 'rating', 'navigationType', 'attribution']) {
          assertSame(ours[field], theirs[name][field], `${keyOf(route)} ${name}.${field}`);
        }
      }
    }
    // The routes' LCPs are the new views' paints, and the first route's INP is the click
    // that left it (it caused the second route).
    assert.ok(routes[0].metrics.LCP.attribution.target, 'route LCP has a target');
    assert.ok(routes[0].metrics.INP, 'the click that caused the next route counts for this one');
    await page.close();
  });
});

describe('soft navigations in firefox', () => {
  const suite = browserSuite('firefox');

  test('no soft-navigation entries: no routes, and the type is reported unsupported', async () => {
    const { page, url, mine } = await browse(suite.session, suite.server.url, 'firefox');
    const { report } = await waitForReport(suite.session, url, (r, s) => mine(r, s) && r.metrics.INP);
    assert.ok(report.unsupportedEntryTypes.includes('soft-navigation'));
    assert.equal(report.softNavigations, undefined);
    await page.close();
  });
});
