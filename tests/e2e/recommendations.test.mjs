// Every recommendation rule against real pages, in real Chromium and Firefox with the
// extension: for each rule id of docs/recommendations.md, the pages built to trigger it
// (tests/sites/rules/<id>/trigger*.html, served with exact headers from that site's
// _headers.json, on two loopback origins) must produce the finding with sensible evidence,
// and a well-built page (clean.html) must not (no false positive). Where a browser lacks the
// rule's input (long tasks and long animation frames in Firefox), the trigger page must give
// no finding and the report must list the input as unsupported: unknown, never a guess.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { waitForReport } from '../../scripts/lib/browsers.mjs';
import { browserSuite } from '../support/suite.mjs';

const labels = (f) => f.evidence.map((e) => e.label);
const item = (f, label) => f.evidence.find((e) => e.label === label);
const about = (f, part) => f.evidence.find((e) => e.url?.includes(part));
const click = (page) => page.click('#action');

/**
 * One entry per rule id. `needs`: the entry type without which the rule cannot see its
 * problem. `triggers`: pages (a path under the rule's folder, with any query) and what the
 * finding must show. `act`: what the user does once the page has loaded. `reload`: the
 * page is loaded, then reloaded, and the repeat view is judged.
 */
const RULES = [
  {
    id: 'render-blocking-resources',
    triggers: [
      {
        page: 'trigger.html',
        check: (f) => {
          const css = about(f, 'site.css');
          assert.ok(css, 'the slow stylesheet is named');
          assert.ok(css.ms >= 250, `it took ${css.ms} ms`);
          assert.ok(f.saving.ms > 0);
        },
      },
    ],
  },
  {
    id: 'lcp-breakdown',
    triggers: [
      {
        page: 'trigger.html',
        check: (f, report) => {
          assert.ok(report.metrics.LCP.value > 2500);
          assert.ok(about(f, 'hero.png'), 'the LCP resource is named');
          assert.ok(f.saving.ms > 0 && f.saving.ms <= report.metrics.LCP.value - 2500 + 1e-9);
        },
      },
    ],
  },
  {
    id: 'lcp-discovery',
    triggers: [
      {
        page: 'trigger.html',
        check: (f) => {
          assert.equal(f.title, 'The LCP image was lazy-loaded');
          assert.ok(labels(f).includes('loading=lazy on the LCP image'), labels(f).join(', '));
          assert.ok(labels(f).includes('no fetchpriority=high'), labels(f).join(', '));
          assert.ok(f.evidence[0].url.includes('hero.png'));
        },
      },
      {
        page: 'trigger-late.html',
        check: (f) => {
          assert.equal(f.title, 'The LCP image was discovered late');
          assert.ok(item(f, 'discovered late'), labels(f).join(', '));
          assert.ok(!labels(f).includes('no fetchpriority=high'), 'the inserted image has fetchpriority=high');
          assert.ok(f.saving.ms >= 50);
        },
      },
    ],
  },
  {
    id: 'long-tasks-blocking',
    needs: 'longtask',
    triggers: [
      {
        page: 'trigger.html',
        check: (f) => {
          assert.ok(item(f, 'longest task').ms >= 250);
          assert.ok(about(f, 'boot.js'), 'the script is named from long animation frames');
          assert.ok(f.saving.ms >= 200);
        },
      },
    ],
  },
  {
    id: 'long-animation-frame-interaction',
    needs: 'long-animation-frame',
    act: click,
    ready: (r) => r.metrics.INP,
    triggers: [
      {
        page: 'trigger.html',
        check: (f, report) => {
          assert.ok(report.metrics.INP.value > 200);
          assert.ok(about(f, 'handler.js'), 'the click handler script is named');
          assert.ok(f.saving.ms > 0);
        },
      },
    ],
  },
  {
    id: 'document-latency',
    triggers: [
      {
        page: 'trigger.html?delay=700',
        check: (f) => assert.ok(item(f, 'server response time').ms >= 600),
      },
    ],
  },
  {
    id: 'uses-text-compression',
    triggers: [
      {
        page: 'trigger.html',
        check: (f) => {
          const js = about(f, 'catalogue.js');
          assert.ok(js.bytes >= 20_000, `${js.bytes} bytes`);
          assert.ok(f.saving.bytes >= 1400);
        },
      },
    ],
  },
  {
    id: 'oversized-files',
    triggers: [{ page: 'trigger.html', check: (f) => assert.ok(about(f, 'vendor.js').bytes > 250_000) }],
  },
  {
    id: 'total-byte-weight',
    triggers: [
      { page: 'trigger.html', check: (f) => assert.ok(item(f, 'total transfer size').bytes > 2667 * 1024) },
    ],
  },
  {
    id: 'duplicate-requests',
    triggers: [
      {
        page: 'trigger.html',
        check: (f) => {
          const lib = about(f, 'widget.js');
          assert.equal(lib.detail, '2 downloads');
          assert.ok(lib.bytes >= 1400);
        },
      },
    ],
  },
  {
    id: 'third-party-summary',
    needs: 'long-animation-frame',
    triggers: [
      {
        page: 'trigger.html',
        check: (f) => {
          const entity = item(f, '127.0.0.2');
          assert.ok(entity, labels(f).join(', '));
          assert.ok(entity.ms >= 250, `${entity.ms} ms`);
          assert.ok(!item(f, '127.0.0.1'), 'the first party is not a third party');
        },
      },
    ],
  },
  {
    id: 'uses-long-cache-ttl',
    triggers: [{ page: 'trigger.html', check: (f) => assert.equal(about(f, 'photo.png').ms, 3_600_000) }],
  },
  {
    id: 'cache-disabled-static',
    triggers: [
      { page: 'trigger.html', check: (f) => assert.equal(about(f, 'logo.png').label, 'static asset with no-store') },
    ],
  },
  {
    id: 'fingerprinted-short-ttl',
    triggers: [{ page: 'trigger.html', check: (f) => assert.equal(about(f, 'app.3f9a1c2b.js').ms, 3_600_000) }],
  },
  {
    id: 'missing-validators',
    triggers: [{ page: 'trigger.html', check: (f) => assert.ok(about(f, 'banner.png').bytes > 30_000) }],
  },
  {
    id: 'repeat-view-cache',
    reload: true,
    triggers: [
      {
        page: 'trigger.html',
        check: (f) => {
          assert.equal(about(f, 'photo.png').label, 'downloaded again');
          assert.equal(f.evidence[0].detail, '0 of 1', 'the one static asset came from the network again');
        },
      },
    ],
  },
  {
    id: 'backend-timing',
    triggers: [
      {
        page: 'trigger.html?delay=900',
        check: (f, report) => {
          assert.ok(report.metrics.TTFB.value > 800);
          assert.equal(item(f, 'server: db').ms, 640);
          assert.equal(item(f, 'server: db').detail, 'orders query');
        },
      },
    ],
  },
  {
    id: 'timing-hidden',
    triggers: [
      {
        page: 'trigger.html',
        check: (f) => {
          const image = about(f, '127.0.0.2');
          assert.ok(image.url.endsWith('/timing-hidden/photo.png'));
          assert.equal(image.detail, 'Server-Timing recovered from the raw header');
        },
      },
    ],
  },
];

/** Entry types each browser lacks (tests/e2e must agree with the report's own list). */
const LACKS = { chromium: [], firefox: ['longtask', 'long-animation-frame', 'layout-shift'] };

/**
 * The report of `url` once everything the page loaded is in it: FCP and LCP, a `resource`
 * entry for every request the page's own timeline lists, and a response record for each
 * that crossed the network (and for the document), plus `extra`. Only then is the absence
 * of a finding meaningful.
 */
async function settled(session, page, url, { extra = () => true, view = () => true } = {}) {
  const requests = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => /^https?:/.test(e.name))
      .map((e) => ({ name: e.name, cached: e.deliveryType === 'cache' || (e.transferSize === 0 && e.decodedBodySize > 0) })),
  );
  return waitForReport(session, url, (report, state) => {
    const records = state.log.records;
    const entry = (name) => records.some((r) => r.entryType === 'resource' && r.name === name);
    const response = (name) => records.some((r) => r.response?.url === name);
    return (
      view(report) &&
      report.metrics.FCP &&
      report.metrics.LCP &&
      response(url) &&
      requests.every((r) => entry(r.name) && (r.cached || response(r.name))) &&
      extra(report)
    );
  });
}

for (const browser of ['chromium', 'firefox']) {
  describe(`recommendations in ${browser}`, () => {
    const suite = browserSuite(browser, { site: 'tests/sites/rules', thirdParty: true });

    /** Loads a rule's page (and reloads it for a repeat view), acts, returns it. */
    async function visit(rule, path) {
      const url = `${suite.server.url}/${rule.id}/${path}`;
      const page = await suite.session.open(url);
      let view = (r) => r.page.navigationType !== 'reload';
      if (rule.reload) {
        await settled(suite.session, page, url, { view });
        await page.reload({ waitUntil: 'load' });
        view = (r) => r.page.navigationType === 'reload';
      }
      if (rule.act) await rule.act(page);
      return { page, url, view };
    }

    for (const rule of RULES) {
      const lacking = rule.needs && LACKS[browser].includes(rule.needs);
      for (const trigger of rule.triggers) {
        if (lacking) {
          test(`${rule.id}: ${trigger.page} gives no finding without ${rule.needs}`, async () => {
            const { page, url, view } = await visit(rule, trigger.page);
            const { report } = await settled(suite.session, page, url, { extra: rule.ready, view });
            assert.ok(report.unsupportedEntryTypes.includes(rule.needs), 'the input is listed as unsupported');
            assert.deepEqual(report.recommendations.filter((f) => f.id === rule.id), []);
            await page.close();
          });
          continue;
        }
        test(`${rule.id}: ${trigger.page} gives the finding`, async () => {
          const { page, url, view } = await visit(rule, trigger.page);
          const { report } = await waitForReport(
            suite.session,
            url,
            (r) => view(r) && (rule.ready?.(r) ?? true) && r.recommendations.some((f) => f.id === rule.id),
          );
          const findings = report.recommendations.filter((f) => f.id === rule.id);
          assert.equal(findings.length, 1);
          // What one-line summaries print: the fix in one sentence.
          assert.match(findings[0].action, /^[A-Z][^]{10,138}\.$/);
          assert.doesNotMatch(findings[0].action.slice(0, -1), /\. /);
          trigger.check(findings[0], report);
          await page.close();
        });
      }
      // Where the rule is blind, a clean page proves nothing: the trigger's silence is the test.
      if (lacking) continue;
      test(`${rule.id}: clean.html gives no finding`, async () => {
        const { page, url, view } = await visit(rule, 'clean.html');
        const { report } = await settled(suite.session, page, url, { extra: rule.ready, view });
        const found = report.recommendations.filter((f) => f.id === rule.id);
        assert.deepEqual(found, [], JSON.stringify(found, null, 1));
        await page.close();
      });
    }
  });
}
