// Every scenario family, live in real Chromium and Firefox with the extension loaded: each
// metric in the extension's report equals what the web-vitals package reported in the same
// page load (value, rating, navigationType and attribution), and a metric web-vitals did not
// report is absent from ours too. Same entries, same arithmetic: exact equality.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { METRICS, runScenario, scenarios, withinClock } from '../support/scenarios.mjs';
import { browserSuite } from '../support/suite.mjs';

/** Deep equality; numbers of a clock-tolerant metric may differ within its tolerance. */
function assertSame(scenario, name, ours, theirs, what) {
  if (typeof ours === 'number' && typeof theirs === 'number' && withinClock(scenario, name, ours, theirs)) return;
  if (ours && theirs && typeof ours === 'object' && typeof theirs === 'object') {
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), `${what} keys`);
    for (const key of Object.keys(ours)) assertSame(scenario, name, ours[key], theirs[key], `${what}.${key}`);
    return;
  }
  assert.deepEqual(ours, theirs, what);
}

for (const browser of ['chromium', 'firefox']) {
  const own = scenarios.filter((s) => s.browsers.includes(browser));
  describe(`scenarios in ${browser}`, () => {
    const suite = browserSuite(browser);
    for (const scenario of own.filter((s) => !s.launch?.[browser])) {
      test(scenario.name, () => check(suite, scenario));
    }
  });
  for (const scenario of own.filter((s) => s.launch?.[browser])) {
    describe(`scenarios in ${browser}, a browser of its own`, () => {
      const suite = browserSuite(browser, { launch: scenario.launch[browser] });
      test(scenario.name, () => check(suite, scenario));
    });
  }
}

async function check(suite, scenario) {
  const { page, oracle, state } = await runScenario(suite.session, suite.server.url, scenario);
  const { report } = state;
  for (const name of METRICS) {
    const ours = report.metrics[name];
    if (!oracle[name]) {
      assert.equal(ours, undefined, `${name}: reported, but web-vitals did not`);
      continue;
    }
    assert.ok(ours, `${name}: missing; web-vitals reported ${JSON.stringify(oracle[name])}`);
    for (const field of ['value', 'rating', 'navigationType', 'attribution']) {
      assertSame(scenario, name, ours[field], oracle[name][field], `${name}.${field}`);
    }
  }
  if (suite.session.name === 'firefox') {
    assert.ok(report.unsupportedEntryTypes.includes('layout-shift'), 'CLS unsupported, not 0');
  }
  await page.close();
}
