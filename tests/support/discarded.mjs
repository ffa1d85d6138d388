// The discarded-tab scenario (web-vitals e2e "restore" family): a tab measured, put in the
// background and discarded by the browser (tabs.discard, as memory pressure does), then
// brought back, which reloads it with `document.wasDiscarded` true: web-vitals reports that
// page view with navigationType "restore". It needs a browser of its own: the oracle must be a
// context-wide init script, because the reloaded tab is a new page. Chromium only: Firefox's
// WebDriver BiDi session loses the discarded tab (see the notes).
import { oracleInitScriptAtDomContentLoaded, oracleViews } from './oracle.mjs';
import { launchChromium, pollUntil, waitForReport } from '../../scripts/lib/browsers.mjs';

export async function runDiscarded(serverUrl, tag = 'discard') {
  const session = await launchChromium();
  try {
    // Started at DOMContentLoaded: see oracleInitScriptAtDomContentLoaded.
    await session.context.addInitScript(oracleInitScriptAtDomContentLoaded);
    const path = `/late-lcp.html?${tag}`;
    const url = `${serverUrl}${path}`;
    const page = await session.open(url);
    await page.waitForFunction(() => document.getElementById('hero').complete);
    const first = await waitForReport(session, url, (r) => r.metrics.LCP);
    const states = await session.extensionStates();
    const [tabKey] = Object.entries(states).find(([k, v]) => k.startsWith('tab:') && v.current === first.log.page.navigationId);
    // Another tab in front, then the browser discards ours and it is brought back.
    await session.open(`${serverUrl}/next.html`);
    const discarded = await session.extensionEval(async (id) => {
      const tab = await chrome.tabs.discard(id);
      await chrome.tabs.update(tab.id, { active: true });
      return tab.discarded;
    }, Number(tabKey.slice('tab:'.length)));
    if (!discarded) throw new Error('the browser did not discard the tab');
    const restored = await pollUntil(() => session.context.pages().find((p) => p.url() === url && p !== page));
    await restored.waitForLoadState('load');
    await restored.waitForFunction(() => document.getElementById('hero').complete);
    await waitForReport(session, url, (r, s) => s.log.page.wasDiscarded && r.metrics.LCP);
    await restored.evaluate(() => new Promise((r) => requestIdleCallback(() => r(), { timeout: 1000 })));
    await restored.goto(`${serverUrl}/next.html`, { waitUntil: 'load' });
    const views = await oracleViews(restored, path);
    const oracle = views.at(-1);
    const expected = ['FCP', 'TTFB', 'LCP', 'CLS'];
    await pollUntil(async () => expected.every((m) => oracle?.[m]));
    let state;
    try {
      state = await waitForReport(
        session,
        url,
        (r, s) => s.log.page.wasDiscarded && expected.every((m) => r.metrics[m]?.value === oracle[m].value),
        { timeoutMs: 10_000 },
      );
    } catch {
      state = await waitForReport(session, url, (_, s) => s.log.page.wasDiscarded, { timeoutMs: 5_000 });
    }
    return { oracle, state, browserVersion: session.version };
  } finally {
    await session.close();
  }
}
