// Every page view counted, however short: the leave-time matrix (tests/support/leave.mjs) in
// real Chromium and Firefox with the extension loaded, on an ordinary page (the agent's wasm
// form) and under a strict CSP (Chromium runs the wasm2js form there), and in the Playwright
// module's inject mode (Chromium, no extension: the wasm2js form as an init script). Nothing
// waits for PageVitals before leaving; the report is read afterwards, polling with a deadline.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { LEAVE_CASES, assertLeftViewEqualsOracle, leaveAfterLoadScript } from '../support/leave.mjs';
import { beaconOracleInitScript } from '../support/oracle.mjs';
import { browserSuite } from '../support/suite.mjs';
import { launchChromium, ROOT, viewsFor } from '../../scripts/lib/browsers.mjs';
import { serve } from '../../scripts/lib/server.mjs';
import { attach } from '../../headless/index.mjs';

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
          // Who recorded the view: the agent (its wasm form, or the wasm2js form where the page
          // forbids compiling wasm or its fetch fails as the page goes), or, for a page left
          // before the agent started, the content script's early batch.
          const forms = browser === 'chromium' ? [form.chromiumForm, 'early'] : ['wasm', 'js', 'early'];
          // Chromium drops what the extension sends from a closing tab after its pagehide: a
          // first paint presented as the tab closes is lost (docs/metrics.md).
          const closedTabLosesLateBatches = browser === 'chromium';
          const first = await leaveAndCompare(suite.server, suite.session, leaveCase, form, {
            forms,
            closedTabLosesLateBatches,
            firstView: async (url) => (await viewsFor(suite.session, url))[0] ?? null,
          });
          formsSeen.add(first.log.page.agentForm);
        });
      }
    });
  }
}

// Inject mode: the agent starts with the document (an init script), so there is no early batch;
// the batches sent as the page is left come by beacon to the module's loopback listener.
for (const form of FORMS) {
  describe(`a page left early in headless inject mode, chromium, ${form.name}`, () => {
    const suite = { server: null, session: null, inject: null };
    before(async () => {
      suite.server = await serve(join(ROOT, 'tests/sites/fixtures'));
      suite.session = await launchChromium({ extension: false });
      suite.inject = await attach(suite.session.context);
    });
    after(async () => {
      await suite.session?.close();
      await suite.server?.close();
    });
    for (const leaveCase of LEAVE_CASES) {
      test(`left ${leaveCase.name}`, async () => {
        let opened = null;
        const session = {
          open: async (url, options) => (opened = await suite.session.open(url, options)),
        };
        await leaveAndCompare(suite.server, session, leaveCase, form, {
          forms: ['js'],
          firstView: async (url) => {
            const views = opened ? await suite.inject.views(opened) : [];
            return views.find((view) => view.log.page.url === url) ?? null;
          },
        });
      });
    }
  });
}

/**
 * Tries of a case that did not happen as planned: a page meant to go into the back/forward
 * cache that the browser kept out of it (for reasons of its own: memory, a timing), or a page
 * view whose CLS web-vitals lost (assertLeftViewEqualsOracle). It is retried on a fresh URL, up
 * to this many tries in all; any other failure fails at once.
 */
const TRIES = 3;

/**
 * Opens the case's page in `session` (with the web-vitals beacon oracle), leaves it as the case
 * says, and asserts the first page view of its URL (`view.firstView(url)`: `{ log, report }`
 * or null) equal to web-vitals, its leaving recorded, by one of `view.forms` of the agent
 * (`view.closedTabLosesLateBatches`: assertLeftViewEqualsOracle). Returns it.
 */
async function leaveAndCompare(server, session, leaveCase, form, view) {
  for (let attempt = 1; ; attempt += 1) {
    const query = attempt === 1 ? form.query : `${form.query}&try=${attempt}`;
    try {
      return await leaveOnce(server, session, leaveCase, query, view);
    } catch (error) {
      if (!(error.notCached || error.oracleIncomplete) || attempt === TRIES) throw error;
      console.log(`${leaveCase.name}: ${error.message.split('\n')[0]} (try ${attempt}); trying again`);
    }
  }
}

async function leaveOnce(server, session, leaveCase, query, { forms, firstView, closedTabLosesLateBatches = false }) {
  const path = leaveCase.path + query;
  const url = `${server.url}${path}`;
  const next = `${server.url}/next.html`;
  const ctx = {
    url,
    page: null,
    async openAt(target, { leaveAfterLoad, waitUntil } = {}) {
      const leaving = leaveAfterLoad === undefined ? '' : leaveAfterLoadScript(path, next, leaveAfterLoad);
      ctx.page = await session.open(target, { initScript: `${beaconOracleInitScript}\n${leaving}`, waitUntil });
    },
    leave: () => ctx.page.goto(next, { waitUntil: 'load' }),
  };
  await leaveCase.act(ctx);
  let first = null;
  try {
    await assertLeftViewEqualsOracle(
      server,
      { ...leaveCase, path },
      async () => (first = await firstView(url)),
      { left: async () => Boolean(first && hidden(first.log)), closedTabLosesLateBatches },
    );
  } catch (error) {
    const kinds = first?.log.records.map((r) => r.lifecycle ?? r.entryType ?? 'response').join(',');
    error.message += `\nthe view's records: ${kinds ?? 'no view'}`;
    if (!first && session.extensionStates) {
      const states = await session.extensionStates();
      const tabs = Object.entries(states).filter(([k]) => k.startsWith('tab:') || k.startsWith('pending:') || k === 'closed');
      error.message += `\nstorage: ${JSON.stringify(tabs.map(([k, v]) => [k, Array.isArray(v) ? v.map((p) => p.url ?? p) : { ...v, starts: undefined }]))}`;
    }
    if (error.oracleIncomplete && !ctx.page.isClosed()) await ctx.page.close();
    throw error;
  }
  assert.ok(forms.includes(first.log.page.agentForm), `agent form ${first.log.page.agentForm}`);
  if (leaveCase.cached && !first.log.records.some((r) => r.lifecycle === 'pagehide' && r.persisted)) {
    if (!ctx.page.isClosed()) await ctx.page.close();
    throw Object.assign(new Error('the page did not go into the back/forward cache (no pagehide persisted)'), { notCached: true });
  }
  if (!ctx.page.isClosed()) await ctx.page.close();
  return first;
}
