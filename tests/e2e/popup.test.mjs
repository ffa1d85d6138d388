// The Leptos popup in real Chromium and Firefox with the extension loaded, opened as a page
// on a measured fixture tab (popup.html?tab=<id>): what it shows equals the stored report and
// follows it live, exports give the stored report and a Markdown summary, it is usable from
// the keyboard, has no serious or critical axe-core violation and no console error, and the
// layout-shift overlay draws on the page without touching its layout, then disappears.
// Screenshots go to target/artifacts/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { pollUntil, ROOT, waitForReport } from '../../scripts/lib/browsers.mjs';
import { browse } from '../support/soft-navigation.mjs';
import { browserSuite } from '../support/suite.mjs';

const ARTIFACTS = join(ROOT, 'target/artifacts');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ORDER = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'];
const ENTRY_TYPE = { FCP: 'paint', TTFB: 'navigation', LCP: 'largest-contentful-paint', CLS: 'layout-shift', INP: 'event' };

/** The popup's formatting (crates/pagevitals-popup/src/format.rs), written again as the oracle. */
const shown = (name, value) =>
  name === 'CLS' ? value.toFixed(3) : Math.abs(value) < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;

function expectedCards(report) {
  return ORDER.map((name) => {
    const m = report.metrics[name];
    if (m) return { name, status: 'measured', rating: m.rating, value: m.value, text: shown(name, m.value) };
    const status = report.unsupportedEntryTypes.includes(ENTRY_TYPE[name]) ? 'unsupported' : 'waiting';
    return { name, status };
  });
}

const shownCards = (popup) =>
  popup.evaluate(() =>
    [...document.querySelectorAll('article[data-testid^="metric-"]')].map((el) => {
      const card = { name: el.dataset.testid.slice('metric-'.length), status: el.dataset.status };
      if (card.status === 'measured') {
        Object.assign(card, {
          rating: el.dataset.rating,
          value: Number(el.dataset.value),
          text: el.querySelector('.value').textContent.trim(),
        });
      }
      return card;
    }),
  );

const click = (page, testid) =>
  page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`).click(), testid);

/** Presses Tab until the element with `testid` has focus. */
async function tabTo(page, testid) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.dataset?.testid)) === testid) return;
  }
  throw new Error(`Tab never reached ${testid}`);
}

async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const { violations } = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

for (const browser of ['chromium', 'firefox']) {
  describe(`popup in ${browser}`, () => {
    const suite = browserSuite(browser);

    test('shows the stored report live, exports it, works from the keyboard, and draws layout shifts', async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const url = `${suite.server.url}/shifts.html?popup`;
      const page = await suite.session.open(url);
      await pollUntil(() => page.evaluate(() => document.documentElement.hasAttribute('data-done')));
      const first = await waitForReport(suite.session, url, (r) =>
        r.metrics.FCP && r.metrics.LCP && (browser === 'firefox' || (r.entryCounts['layout-shift'] ?? 0) >= 3),
      );
      const states = await suite.session.extensionStates();
      const [tabKey] = Object.entries(states).find(([k, v]) => k.startsWith('tab:') && v.current === first.log.page.navigationId);
      const tabId = Number(tabKey.slice('tab:'.length));
      const stored = async () => {
        const all = await suite.session.extensionStates();
        return all[`view:${tabId}:${all[tabKey].current}`];
      };

      const errors = [];
      const popup = await suite.session.openExtensionPage(`popup.html?tab=${tabId}`, {
        beforeLoad(p) {
          p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
          p.on('pageerror', (e) => errors.push(String(e)));
        },
      });

      // What the cards show is the stored report (polled: both follow the page live).
      const same = async () => {
        const { report } = await stored();
        const cards = await shownCards(popup);
        return JSON.stringify(cards) === JSON.stringify(expectedCards(report)) && report;
      };
      let report = await pollUntil(same, {
        onTimeout: () => new Error('popup cards never equalled the stored report'),
      });
      assert.equal(await popup.evaluate(() => document.querySelector('[data-testid=page-url]').textContent), report.page.url);
      const cls = (await shownCards(popup)).find((c) => c.name === 'CLS');
      assert.equal(cls.status, browser === 'firefox' ? 'unsupported' : 'measured', 'CLS is unsupported in Firefox, never 0');
      // No budget set for this origin: the built-in one (every Core Web Vital good) is checked,
      // and the popup shows the stored results, and the stored estimated score.
      const budgetShown = await popup.evaluate(() => ({
        statuses: [...document.querySelectorAll('[data-testid=budgets] tbody tr')].map((tr) => tr.lastElementChild.textContent),
        score: document.querySelector('[data-testid=score]')?.dataset.score,
      }));
      const checked = await pollUntil(async () => {
        const { report: r } = await stored();
        return r.budgets?.evaluation && r;
      });
      assert.equal(checked.budgets.evaluation.format, 'default');
      assert.deepEqual(budgetShown.statuses, checked.budgets.evaluation.groups.flatMap((g) => g.results.map((r) => r.status)));
      assert.equal(budgetShown.score, String(Math.round(checked.score.mobile.score * 100)));

      // Live: an interaction on the page reaches the open popup without reopening it.
      await page.bringToFront();
      await page.click('h1');
      report = await pollUntil(async () => {
        const r = await same();
        return r && r.metrics.INP ? r : null;
      });
      assert.ok(report.metrics.INP, 'INP appeared live');

      // Keyboard: attribution on demand, then sections, with Enter and Space.
      await popup.bringToFront();
      await popup.evaluate(() => document.activeElement?.blur());
      await tabTo(popup, 'attribution-toggle-LCP');
      await popup.keyboard.press('Enter');
      assert.equal(await popup.evaluate(() => document.querySelector('[data-testid=attribution-LCP]').hidden), false);
      assert.match(await popup.evaluate(() => document.querySelector('[data-testid=attribution-LCP]').textContent), /Element render delay/);
      assert.deepEqual(await seriousViolations(popup), [], 'axe: cards with attribution open');
      await tabTo(popup, 'tab-bundles');
      await popup.keyboard.press('Enter');
      await pollUntil(() => popup.evaluate(() => document.querySelector('[data-testid=panel]').dataset.section === 'bundles'));
      const total = await popup.evaluate(() => document.querySelector('[data-testid=bytes-total]').textContent);
      assert.match(total, new RegExp(`^${report.resources.total.requests} requests`));
      assert.deepEqual(await seriousViolations(popup), [], 'axe: bundles');
      await tabTo(popup, 'tab-recommendations');
      // puppeteer over BiDi names the space bar ' ', Playwright 'Space'.
      await popup.keyboard.press(browser === 'firefox' ? ' ' : 'Space');
      await pollUntil(() => popup.evaluate(() => document.querySelector('[data-testid=panel]').dataset.section === 'recommendations'));
      const ids = await popup.evaluate(() => [...document.querySelectorAll('[data-testid=recommendation]')].map((li) => li.dataset.id));
      assert.deepEqual(ids, report.recommendations.map((f) => f.id), 'the ranked recommendations, in order');
      for (const section of ['critical-path', 'caching', 'backend', 'routes']) {
        await click(popup, `tab-${section}`);
        await pollUntil(() => popup.evaluate((s) => document.querySelector('[data-testid=panel]').dataset.section === s, section));
        assert.deepEqual(await seriousViolations(popup), [], `axe: ${section}`);
        if (section === 'backend') {
          const rows = await popup.evaluate(() => document.querySelectorAll('[data-testid=backend-waterfall] tr').length);
          // TTFB's five phases, then the document's Server-Timing metrics (none on this page).
          assert.equal(rows, 5);
        }
      }

      // Exports: the report exactly as stored, and a Markdown summary on the clipboard.
      await popup.evaluate(() => {
        Object.defineProperty(navigator.clipboard, 'writeText', {
          configurable: true,
          value: async (text) => {
            window.__copied = text;
          },
        });
        HTMLAnchorElement.prototype.click = function () {
          window.__download = { name: this.download, href: this.href };
        };
      });
      await click(popup, 'export-json');
      const saved = await popup.evaluate(async () => ({ name: window.__download.name, text: await (await fetch(window.__download.href)).text() }));
      assert.deepEqual(JSON.parse(saved.text), (await stored()).report);
      assert.match(saved.name, /^pagevitals-127\.0\.0\.1-.+\.json$/);
      await click(popup, 'export-markdown');
      const markdown = await pollUntil(() => popup.evaluate(() => window.__copied));
      assert.ok(markdown.startsWith(`# PageVitals: ${url}\n`));
      assert.ok(markdown.includes(`| LCP | ${shown('LCP', report.metrics.LCP.value)} |`));

      // The layout-shift overlay.
      await click(popup, 'tab-shifts');
      const before = await page.evaluate(() => {
        const h1 = document.querySelector('h1').getBoundingClientRect();
        return { height: document.documentElement.scrollHeight, top: h1.top, x: h1.left + 5, y: h1.top + 5 };
      });
      if (browser === 'firefox') {
        assert.ok(await popup.evaluate(() => !!document.querySelector('[data-testid=shifts-unsupported]')));
      } else {
        const items = await popup.evaluate(() => document.querySelectorAll('[data-testid=shift-list] li').length);
        assert.equal(items, report.entryCounts['layout-shift']);
      }
      await popup.screenshot({ path: join(ARTIFACTS, `popup-${browser}.png`), fullPage: true });
      await click(popup, 'overlay-toggle');
      const overlay = () =>
        page.evaluate(() => {
          const host = document.querySelector('pagevitals-overlay');
          if (!host) return null;
          const style = getComputedStyle(host);
          const root = host.shadowRoot;
          return {
            position: style.position,
            pointerEvents: style.pointerEvents,
            current: root.querySelectorAll('.box.current').length,
            picked: [...root.querySelectorAll('.box.current.picked')].map((b) => b.dataset.shift),
            items: [...root.querySelectorAll('li')].map((li) => li.textContent),
            unsupported: root.querySelector('.unsupported')?.textContent ?? null,
          };
        });
      let popupSays = '';
      let drawn = await pollUntil(
        async () => {
          const o = await overlay();
          if (!o) popupSays = await popup.evaluate(() => document.querySelector('.error')?.textContent);
          return o;
        },
        { onTimeout: () => new Error(`no overlay; the popup says: ${popupSays}`) },
      );
      assert.equal(drawn.position, 'fixed');
      assert.equal(drawn.pointerEvents, 'none');
      const after = await page.evaluate(({ x, y }) => {
        const h1 = document.querySelector('h1');
        return {
          height: document.documentElement.scrollHeight,
          top: h1.getBoundingClientRect().top,
          hit: document.elementFromPoint(x, y) === h1,
        };
      }, before);
      assert.deepEqual(after, { height: before.height, top: before.top, hit: true }, 'the overlay moved nothing and takes no input');
      if (browser === 'firefox') {
        assert.match(drawn.unsupported, /does not report layout shifts/);
      } else {
        const { log } = await stored();
        const shifts = log.records.filter((r) => r.entryType === 'layout-shift');
        assert.equal(drawn.current, shifts.reduce((n, s) => n + s.sources.length, 0));
        assert.equal(drawn.items.length, shifts.length);
        assert.deepEqual([...shifts].sort((a, b) => a.startTime - b.startTime).map((s) => s.startTime), [...shifts].map((s) => s.startTime).sort((a, b) => a - b));
        await click(popup, 'shift-2');
        drawn = await pollUntil(async () => {
          const o = await overlay();
          return o?.picked.length ? o : null;
        });
        assert.ok(drawn.picked.every((n) => n === '2'));
      }
      await page.bringToFront();
      await page.screenshot({ path: join(ARTIFACTS, `overlay-${browser}.png`) });
      await click(popup, 'overlay-toggle');
      await pollUntil(async () => (await overlay()) === null, {
        onTimeout: () => new Error('the overlay did not disappear'),
      });

      assert.deepEqual(errors, [], 'no console errors in the popup');
      await popup.close();
      await page.close();
    });

    if (browser === 'chromium') {
      // Soft navigations exist only in Chromium (Firefox's Routes tab says unsupported).
      test('single-page-app routes are listed with their own metrics', async () => {
        const { page, url, mine } = await browse(suite.session, suite.server.url, 'popup');
        const { log } = await waitForReport(suite.session, url, (r, s) => mine(r, s) && r.softNavigations?.length === 2);
        const states = await suite.session.extensionStates();
        const [tabKey] = Object.entries(states).find(([k, v]) => k.startsWith('tab:') && v.current === log.page.navigationId);
        const popup = await suite.session.openExtensionPage(`popup.html?tab=${tabKey.slice('tab:'.length)}`);
        await pollUntil(() => popup.evaluate(() => !!document.querySelector('[data-testid=tab-routes]')));
        await click(popup, 'tab-routes');
        const same = async () => {
          const all = await suite.session.extensionStates();
          const { report } = all[`view:${tabKey.slice('tab:'.length)}:${all[tabKey].current}`];
          const rows = await popup.evaluate(() =>
            [...document.querySelectorAll('[data-testid=routes] tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent)),
          );
          const expected = report.softNavigations.map((route) => [
            new URL(route.page.url).pathname.split('/').filter(Boolean).at(-1) + new URL(route.page.url).search,
            ...['LCP', 'INP', 'CLS'].map((m) => (route.metrics[m] ? shown(m, route.metrics[m].value) : '–')),
          ]);
          return JSON.stringify(rows) === JSON.stringify(expected) && rows;
        };
        const rows = await pollUntil(same);
        assert.equal(rows.length, 2);
        await popup.close();
        await page.close();
      });
    }

    test('a page the extension cannot measure says so', async () => {
      // The popup's own tab: an extension page, not http(s), with no report.
      const popup = await suite.session.openExtensionPage('popup.html');
      const state = await pollUntil(() =>
        popup.evaluate(() => {
          const s = document.querySelector('[data-testid=status]')?.dataset.state;
          return s !== 'loading' && s;
        }),
      );
      assert.equal(state, 'restricted');
      assert.deepEqual(await seriousViolations(popup), []);
      await popup.close();
    });
  });
}
