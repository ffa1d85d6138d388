// Soft navigations: a single-page app whose links push a URL and render a new view. In
// Chromium each route gets its own report (report.softNavigations) whose metrics equal what
// web-vitals v6 with `reportSoftNavs: true`, injected into the same page load, reported for
// that route; the badge follows the latest route. Firefox has no soft-navigation entries:
// no routes, and the type is listed as unsupported.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { pollUntil, waitForReport } from '../../scripts/lib/browsers.mjs';
import { METRICS } from '../support/scenarios.mjs';
import { browse, routeKey, runSoftNavigation } from '../support/soft-navigation.mjs';
import { browserSuite } from '../support/suite.mjs';
import { badgeText } from '../../extension/badge.js';

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
    // While the user is on the second route, the badge shows its verdict, not the page view's.
    const badgeFollowsRoute = async (live) => {
      const states = await session.extensionStates();
      const [tabKey] = Object.entries(states).find(
        ([k, v]) => k.startsWith('tab:') && v.current === live.log.page.navigationId,
      );
      const tabId = Number(tabKey.slice('tab:'.length));
      await pollUntil(
        async () => {
          const { report } = (await session.extensionStates())[`view:${tabId}:${live.log.page.navigationId}`];
          const text = await session.extensionEval((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
          return text === badgeText(report.softNavigations.at(-1).verdict);
        },
        { timeoutMs: 5_000, onTimeout: () => new Error('the badge does not show the latest route') },
      );
    };
    const { page, routes: oracle, state } = await runSoftNavigation(session, suite.server.url, 'routes', {
      beforeLeaving: badgeFollowsRoute,
    });

    const oracleRoutes = Object.entries(oracle);
    assert.equal(oracleRoutes.length, 2, `web-vitals saw routes ${Object.keys(oracle)}`);
    const keyOf = routeKey;
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
