// A tab the browser discarded and the user brought back (Chromium, tabs.discard): the report
// of the reloaded page view equals web-vitals' in the same page load, navigationType
// "restore" included.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { ROOT } from '../../scripts/lib/browsers.mjs';
import { serve } from '../../scripts/lib/server.mjs';
import { runDiscarded } from '../support/discarded.mjs';

describe('a discarded tab in chromium', () => {
  let server;
  before(async () => {
    server = await serve(join(ROOT, 'tests/sites/fixtures'));
  });
  after(async () => server?.close());

  test('restored with wasDiscarded: every metric equals web-vitals, navigationType restore', async () => {
    const { oracle, state } = await runDiscarded(server.url);
    assert.equal(state.log.page.wasDiscarded, true);
    for (const name of ['FCP', 'TTFB', 'LCP', 'CLS', 'INP']) {
      const ours = state.report.metrics[name];
      if (!oracle[name]) {
        assert.equal(ours, undefined, `${name}: reported, but web-vitals did not`);
        continue;
      }
      for (const field of ['value', 'rating', 'navigationType', 'attribution']) {
        assert.deepEqual(ours?.[field], oracle[name][field], `${name}.${field}`);
      }
    }
    assert.equal(state.report.metrics.LCP.navigationType, 'restore');
  });
});
