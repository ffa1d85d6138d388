// Every page view counted, however short: the leave-time matrix (tests/support/leave.mjs) in
// real Chromium and Firefox with the extension loaded, on an ordinary page (the agent's wasm
// form) and under a strict CSP (Chromium runs the wasm2js form there). Nothing waits for the
// extension before leaving; the report is read afterwards, polling with a deadline.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { LEAVE_CASES, assertLeftViewEqualsOracle, leaveAfterLoadScript } from '../support/leave.mjs';
import { beaconOracleInitScript } from '../support/oracle.mjs';
import { browserSuite } from '../support/suite.mjs';
import { viewsFor } from '../../scripts/lib/browsers.mjs';

/**
 * Whether a page view's log recorded its leaving: `pagehide`, or the hidden state; or its tab
 * was closed after its `pagehide` arrived, and its log let go (background.js, retire).
 */
const hidden = (log) =>
  log.released || log.records.some((r) => r.lifecycle === 'pagehide' || (r.lifecycle === 'visibilitychange' && r.state === 'hidden'));

const FORMS = [
  { name: 'ordinary page', query: '', chromiumForm: 'wasm' },
  { name: 'strict CSP', query: '&csp=strict', chromiumForm: 'js' },
];

for (const browser of ['chromium', 'firefox']) {
  for (const form of FORMS) {
    describe(`a page left early in ${browser}, ${form.name}`, () => {
      const suite = browserSuite(browser);
      const formsSeen = new Set();
      after(() => {
        // Both paths ran: the agent recorded some views and the early batch others.
        const agent = browser === 'chromium' ? form.chromiumForm : 'wasm';
        if (formsSeen.size) assert.ok(formsSeen.has(agent), `no view recorded by the agent's ${agent} form: ${[...formsSeen]}`);
      });
      for (const leaveCase of LEAVE_CASES) {
        test(`left ${leaveCase.name}`, async () => {
          const path = leaveCase.path + form.query;
          const url = `${suite.server.url}${path}`;
          const next = `${suite.server.url}/next.html`;
          const ctx = {
            url,
            page: null,
            async openAt(target, { leaveAfterLoad, waitUntil } = {}) {
              const leaving = leaveAfterLoad === undefined ? '' : leaveAfterLoadScript(path, next, leaveAfterLoad);
              ctx.page = await suite.session.open(target, { initScript: `${beaconOracleInitScript}\n${leaving}`, waitUntil });
            },
            leave: () => ctx.page.goto(next, { waitUntil: 'load' }),
          };
          await leaveCase.act(ctx);
          let first = null;
          try {
            await assertLeftViewEqualsOracle(
              suite.server,
              { ...leaveCase, path },
              async () => {
                [first] = await viewsFor(suite.session, url);
                return first?.report ?? null;
              },
              { left: async () => Boolean(first && hidden(first.log)) },
            );
          } catch (error) {
            const kinds = first?.log.records.map((r) => r.lifecycle ?? r.entryType ?? 'response').join(',');
            error.message += `\nthe view's records: ${kinds ?? 'no view'}`;
            if (!first) {
              const states = await suite.session.extensionStates();
              const tabs = Object.entries(states).filter(([k]) => k.startsWith('tab:') || k.startsWith('pending:') || k === 'closed');
              error.message += `\nstorage: ${JSON.stringify(tabs.map(([k, v]) => [k, Array.isArray(v) ? v.map((p) => p.url ?? p) : { ...v, starts: undefined }]))}`;
            }
            throw error;
          }
          // Who recorded the view: the agent (its wasm form, or the wasm2js form where the page
          // forbids compiling wasm or its fetch fails as the page goes), or, for a page left
          // before the agent started, the content script's early batch.
          const forms = browser === 'chromium' ? [form.chromiumForm, 'early'] : ['wasm', 'js', 'early'];
          assert.ok(forms.includes(first.log.page.agentForm), `agent form ${first.log.page.agentForm}`);
          formsSeen.add(first.log.page.agentForm);
          if (leaveCase.cached) {
            assert.ok(
              first.log.records.some((r) => r.lifecycle === 'pagehide' && r.persisted),
              'the page went into the back/forward cache (pagehide persisted)',
            );
          }
          if (!ctx.page.isClosed()) await ctx.page.close();
        });
      }
    });
  }
}
