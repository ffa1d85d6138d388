// A tab the browser discarded and the user brought back (Chromium, tabs.discard): the report
// of the reloaded page view equals web-vitals' in the same page load, navigationType
// "restore" included.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { ROOT } from '../../scripts/lib/browsers.mjs';
import { serve } from '../../scripts/lib/server.mjs';
import { assertEqualsOracle } from '../support/oracle.mjs';
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
    assertEqualsOracle(state.report, oracle);
    assert.equal(state.report.metrics.LCP.navigationType, 'restore');
  });
});
