// The independent oracle: the web-vitals npm package (attribution build) injected into the
// same page load as the extension, recording every metric it reports into
// window.__webVitalsOracle. Only numbers and strings are kept (no entries or DOM nodes).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { pollUntil, ROOT } from '../../scripts/lib/browsers.mjs';
import { BEACON_PATH } from '../../scripts/lib/server.mjs';
import { webVitalsIife, webVitalsVersion } from '../../scripts/lib/web-vitals-snippet.mjs';

export const WEB_VITALS_VERSION = webVitalsVersion;

const oracleTemplate = `${webVitalsIife}
;(() => {
  // Each page view keeps its own record, mirrored into sessionStorage (per tab and origin)
  // so that a test can read it after the page was navigated away from. A bfcache restore
  // starts a new record, as web-vitals starts new metrics then.
  const plain = (value) => JSON.parse(JSON.stringify(value, (key, v) =>
    (typeof Node !== 'undefined' && v instanceof Node) || /Entr(y|ies)$/.test(key) ? undefined : v));
  const key = '__webVitalsOracle:' + location.pathname + location.search;
  const views = JSON.parse(sessionStorage.getItem(key) || '[]');
  const mine = views.push({}) - 1;
  window.__webVitalsOracle = views[mine];
  addEventListener('pageshow', (e) => {
    if (e.persisted) window.__webVitalsOracle = views[views.push({}) - 1];
  }, true);
  const keep = (m) => {
    const view = m.navigationType === 'back-forward-cache' ? views[views.length - 1] : views[mine];
    view[m.name] = { value: m.value, rating: m.rating, navigationType: m.navigationType, attribution: plain(m.attribution) };
    sessionStorage.setItem(key, JSON.stringify(views));
    SEND;
  };
  // Default options, as analytics code runs web-vitals: each metric is reported when final
  // (on hidden, on input for LCP), so ties between entries resolve as users see them.
  const start = () => { for (const on of ['onFCP', 'onTTFB', 'onLCP', 'onCLS', 'onINP']) webVitals[on](keep); };
  START;
})();`;

const withStart = oracleTemplate.replace('START;', 'start();');
export const oracleInitScript = withStart.replace('SEND;', '');

/**
 * The oracle that also posts every page view's record of its path (`BEACON_PATH`, read with the
 * test server's `beacons(key)`, key the path) with `navigator.sendBeacon`, which still arrives
 * from a page being unloaded or a tab being closed, whose sessionStorage is gone with it. An
 * FCP it reports only after the page's `pagehide` has `afterPagehide: true`.
 */
export const beaconOracleInitScript = `${withStart.replace(
  'SEND;',
  `if (m.name === 'FCP' && self.__webVitalsOracleLeft) view.FCP.afterPagehide = true;
    navigator.sendBeacon('${BEACON_PATH}' + encodeURIComponent(location.pathname + location.search), JSON.stringify(views));`,
)}
// An FCP web-vitals reports only after \`pagehide\` says so (\`afterPagehide\`): its paint was
// presented as the page was left (tests/support/leave.mjs).
addEventListener('pagehide', () => { self.__webVitalsOracleLeft = true; }, true);
addEventListener('pageshow', () => { self.__webVitalsOracleLeft = false; }, true);`;

/**
 * The oracle's page views for `path` from the beacons the server received: each beacon holds
 * every view of the path in that tab so far, so a view's metrics are the union of all of them.
 */
export function beaconOracleViews(server, path) {
  const views = [];
  for (const body of server.beacons(path)) {
    JSON.parse(body).forEach((view, i) => Object.assign((views[i] ??= {}), view));
  }
  return views;
}

/**
 * The oracle started at DOMContentLoaded instead of at document start, as a page script in the
 * document would start it. Chromium sets `document.wasDiscarded` on a discarded tab's reload
 * only after the document was created (false in an init script, true by DOMContentLoaded), so
 * web-vitals reads the navigation type "restore" only when it starts later than the very first
 * moment. Its buffered observers still see every entry.
 */
export const oracleInitScriptAtDomContentLoaded = oracleTemplate.replace('SEND;', '').replace(
  'START;',
  "document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', start) : start();",
);

/**
 * Asserts that `report` has exactly the metrics the oracle reported, each with web-vitals'
 * value, rating, navigationType and attribution (same entries, so exact equality).
 */
export function assertEqualsOracle(report, oracle) {
  for (const name of ['FCP', 'TTFB', 'LCP', 'CLS', 'INP']) {
    const ours = report.metrics[name];
    if (!oracle[name]) {
      assert.equal(ours, undefined, `${name}: reported, but web-vitals did not`);
      continue;
    }
    for (const field of ['value', 'rating', 'navigationType', 'attribution']) {
      assert.deepEqual(ours?.[field], oracle[name][field], `${name}.${field}`);
    }
  }
}

/** Every page view's oracle record for `path` (pathname + search) in this tab, oldest first. */
export async function oracleViews(page, path) {
  return page.evaluate((k) => JSON.parse(sessionStorage.getItem(k) || '[]'), `__webVitalsOracle:${path}`);
}

/** Waits until the oracle in `page` has reported every metric in `names`, then returns them. */
export async function oracleMetrics(page, names, { timeoutMs = 15_000 } = {}) {
  let got = {};
  return pollUntil(
    async () => {
      got = await page.evaluate(() => window.__webVitalsOracle ?? {});
      return names.every((n) => got[n]) && got;
    },
    { timeoutMs, onTimeout: () => new Error(`web-vitals reported only ${Object.keys(got)} within ${timeoutMs} ms`) },
  );
}

// The oracle for single-page-app routes: web-vitals v6 with `reportSoftNavs: true` (v5 has no
// soft-navigation support), installed under the alias `web-vitals-soft-navs`. Every metric it
// reports is kept under its route: `navigationURL` plus `navigationId` for a soft navigation,
// `page` for the page view itself.
const softNavsPkg = join(ROOT, 'node_modules/web-vitals-soft-navs');
const softNavsIife = readFileSync(join(softNavsPkg, 'dist/web-vitals.attribution.iife.js'), 'utf8');
export const SOFT_NAVS_WEB_VITALS_VERSION = JSON.parse(readFileSync(join(softNavsPkg, 'package.json'), 'utf8')).version;

export const softNavsOracleInitScript = `${softNavsIife}
;(() => {
  const plain = (value) => JSON.parse(JSON.stringify(value, (key, v) =>
    (typeof Node !== 'undefined' && v instanceof Node) || /Entr(y|ies)$/.test(key) ? undefined : v));
  // Keyed by the document's own path: the page navigated to next runs this script too.
  const storageKey = '__webVitalsRoutes:' + location.pathname + location.search;
  const routes = (window.__webVitalsRoutes = {});
  const keep = (m) => {
    const key = m.navigationType === 'soft-navigation' ? m.navigationURL + '#' + m.navigationId : 'page';
    (routes[key] ??= {})[m.name] = {
      value: m.value, rating: m.rating, navigationType: m.navigationType,
      navigationStartTime: m.navigationStartTime, attribution: plain(m.attribution),
    };
    sessionStorage.setItem(storageKey, JSON.stringify(routes));
  };
  for (const on of ['onFCP', 'onTTFB', 'onLCP', 'onCLS', 'onINP']) webVitals[on](keep, { reportSoftNavs: true });
})();`;

/** The soft-navigation oracle's metrics per route for the document at `path`, read after it was left. */
export async function softNavsOracleRoutes(page, path) {
  return page.evaluate((k) => JSON.parse(sessionStorage.getItem(k) || '{}'), `__webVitalsRoutes:${path}`);
}
