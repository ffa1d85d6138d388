// The soft-navigation scenario: a single-page app (tests/sites/fixtures/spa.html) follows two
// routes with web-vitals v6 (`reportSoftNavs: true`) injected into the same page load, then the
// user leaves, so every route's metrics are final on both sides. Used by the live e2e test
// (tests/e2e/soft-navigation.test.mjs) and by scripts/record-logs (tests/data).
import { softNavsOracleInitScript, softNavsOracleRoutes } from './oracle.mjs';
import { METRICS } from './scenarios.mjs';
import { waitForReport } from '../../scripts/lib/browsers.mjs';

const PATH = '/spa.html';

const idle = (page) =>
  page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 1000 })));

/** The oracle's key for one of our routes: its URL and the browser's navigationId. */
export const routeKey = (route) => `${route.page.url}#${route.page.navigationId.split(':').at(-1)}`;

/** Opens the app in a fresh page view and follows two routes, as a user would: at once. */
export async function browse(session, serverUrl, tag) {
  const url = `${serverUrl}${PATH}?${tag}`;
  const page = await session.open(url, { initScript: softNavsOracleInitScript });
  const origin = await page.evaluate(() => performance.timeOrigin);
  const mine = (_, s) => s.log.page.timeOrigin === origin;
  // Chromium only recognises a soft navigation in the tab in front (an extension page read
  // earlier may be there).
  await page.bringToFront();
  for (const [i, [link, title]] of [['#to-products', 'Products'], ['#to-about', 'About']].entries()) {
    await page.click(link);
    await page.waitForFunction(`document.querySelector('h1')?.textContent === ${JSON.stringify(title)}`);
    if (session.name === 'chromium') {
      await page.waitForFunction(`performance.getEntriesByType('soft-navigation').length === ${i + 1}`);
    }
    await idle(page);
  }
  return { page, url, mine, path: `${PATH}?${tag}` };
}

/**
 * Browses, calls `beforeLeaving(state)` with the first stored state that has both routes,
 * leaves, and returns web-vitals' routes (`{ "<url>#<navigationId>": {FCP, ...} }`)
 * and the extension's stored state once its routes agree with them (or the latest, if they
 * never do, for the caller's asserts to show how).
 */
export async function runSoftNavigation(session, serverUrl, tag, { beforeLeaving } = {}) {
  const { page, url, mine, path } = await browse(session, serverUrl, tag);
  // Only a caller that inspects the live state before leaving (the badge's check) waits for it.
  if (beforeLeaving) await beforeLeaving(await waitForReport(session, url, (r, s) => mine(r, s) && r.softNavigations?.length === 2));
  // Leaving hides the page: every route's metrics are final on both sides.
  await page.goto(`${serverUrl}/next.html`, { waitUntil: 'load' });
  const all = await softNavsOracleRoutes(page, path);
  const routes = Object.fromEntries(Object.entries(all).filter(([key]) => key !== 'page'));
  const agrees = (report) =>
    report.softNavigations?.length === Object.keys(routes).length &&
    report.softNavigations.every((route) =>
      METRICS.every((m) => (route.metrics[m]?.value ?? null) === (routes[routeKey(route)]?.[m]?.value ?? null)),
    );
  let state;
  try {
    state = await waitForReport(session, url, (r, s) => mine(r, s) && agrees(r), { timeoutMs: 10_000 });
  } catch {
    state = await waitForReport(session, url, mine, { timeoutMs: 5_000 });
  }
  return { page, routes, state };
}
