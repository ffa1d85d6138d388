// A page prerendered by speculation rules and then shown (Chromium): the report equals
// web-vitals' in the same page load, every metric counted from activationStart, navigationType
// "prerender", and the responses seen while it prerendered joined to it; and the page before
// it, cached the moment it is shown, still delivers its last batch.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { assertEqualsOracle } from '../support/oracle.mjs';
import { runPrerender } from '../support/prerender.mjs';

describe('a prerendered page in chromium', () => {
  test('shown after prerendering: every metric equals web-vitals, navigationType prerender', async () => {
    const { oracle, state, before } = await runPrerender();
    // The page before went into the back/forward cache at once; its last batch still counts.
    const last = before?.log.records.filter((r) => r.lifecycle).map((r) => r.lifecycle) ?? [];
    assert.ok(last.includes('pagehide'), `the page before's pagehide reached its view (its lifecycle records: ${last})`);
    // The responses seen while the page prerendered joined its view, and none of the page before.
    const responses = state.log.records.filter((r) => r.response).map((r) => r.response);
    const paths = responses.map((r) => r.url.slice(new URL(r.url).origin.length));
    for (const path of ['/prerendered.html', '/hero.png?prerendered', '/web-vitals-oracle.js']) {
      assert.ok(paths.includes(path), `${path}'s response joined the prerendered page's view (responses: ${paths})`);
    }
    assert.equal(responses.find((r) => r.url.endsWith('/hero.png?prerendered')).headers.etag, '"hero-1"');
    assert.ok(!paths.some((p) => p.startsWith('/prerender.')), `no response of the page before (responses: ${paths})`);
    assert.equal(responses.filter((r) => r.type === 'main_frame').length, 1, `one document response (responses: ${paths})`);
    // The prefetch of the next page's document, which Chromium reports as a main_frame
    // response of the tab, started no page view and joined none of the page before.
    const beforeResponses = before.log.records.filter((r) => r.response).map((r) => r.response.url);
    assert.ok(!beforeResponses.some((u) => u.endsWith('/prerendered.html')), `page before: ${beforeResponses}`);
    assert.equal(state.log.page.prerendering, true, 'the agent started in a prerendering page');
    const navigation = state.log.records.findLast((r) => r.entryType === 'navigation');
    assert.ok(navigation.activationStart > 0, `activationStart ${navigation.activationStart}: the page was prerendered`);
    assertEqualsOracle(state.report, oracle);
    assert.equal(state.report.metrics.FCP.navigationType, 'prerender');
  });
});
