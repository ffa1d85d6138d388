// See scripts/record-logs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { launchers, ROOT } from './browsers.mjs';
import { serve } from './server.mjs';
import { SOFT_NAVS_WEB_VITALS_VERSION, WEB_VITALS_VERSION } from '../../tests/support/oracle.mjs';
import { runScenario, scenarios } from '../../tests/support/scenarios.mjs';
import { runSoftNavigation } from '../../tests/support/soft-navigation.mjs';
import { runDiscarded } from '../../tests/support/discarded.mjs';
import { runPrerender } from '../../tests/support/prerender.mjs';

const SOFT_NAVIGATION = 'soft-navigation';
const DISCARDED = 'discarded';
const PRERENDER = 'prerender';
const only = process.argv.slice(2);
const chosen = scenarios.filter((s) => only.length === 0 || only.includes(s.name));
const softNavigation = only.length === 0 || only.includes(SOFT_NAVIGATION);
const discarded = only.length === 0 || only.includes(DISCARDED);
const prerender = only.length === 0 || only.includes(PRERENDER);
if (chosen.length === 0 && !softNavigation && !discarded && !prerender) throw new Error(`no scenario named ${only.join(', ')}`);

const server = await serve(join(ROOT, 'tests/sites/fixtures'));

/** Writes tests/data/<scenario>.<browser>.json: what the browser logged and the oracle said. */
function save(scenario, browser, version, fields, webVitals = WEB_VITALS_VERSION) {
  const file = join(ROOT, 'tests/data', `${scenario}.${browser}.json`);
  const saved = { scenario, browser: `${browser} ${version}`, webVitals, ...fields };
  writeFileSync(file, JSON.stringify(saved, null, 1) + '\n');
  console.log(`recorded ${file}`);
}

async function record(session, scenario) {
  const { page, oracle, state } = await runScenario(session, server.url, scenario);
  save(scenario.name, session.name, session.version, { oracle, log: state.log });
  await page.close();
}

/** Saves a Chromium-only scenario run in a browser of its own. */
function saveOwn(scenario, { oracle, state, browserVersion }) {
  save(scenario, 'chromium', browserVersion, { oracle, log: state.log });
}

try {
  for (const browser of ['chromium', 'firefox']) {
    const session = await launchers[browser]();
    try {
      for (const scenario of chosen.filter((s) => s.browsers.includes(browser))) {
        // A scenario that needs a browser of its own (see tests/support/scenarios.mjs) gets one.
        const options = scenario.launch?.[browser];
        const own = options ? await launchers[browser](options) : session;
        try {
          await record(own, scenario);
        } finally {
          if (own !== session) await own.close();
        }
      }
      if (softNavigation && browser === 'chromium') {
        // Routes are compared with web-vitals v6 (the only version that reports them); the
        // page view's own metrics are covered by the scenarios above.
        const { page, routes, state } = await runSoftNavigation(session, server.url, 'record');
        save(SOFT_NAVIGATION, session.name, session.version, { routes, log: state.log }, SOFT_NAVS_WEB_VITALS_VERSION);
        await page.close();
      }
    } finally {
      await session.close();
    }
  }
  if (discarded) {
    // Its own browser (see tests/support/discarded.mjs); Chromium only.
    const { oracle, state, browserVersion } = await runDiscarded(server.url, 'record');
    saveOwn(DISCARDED, { oracle, state, browserVersion });
  }
  if (prerender) {
    // Its own browser and server (see tests/support/prerender.mjs); Chromium only.
    saveOwn(PRERENDER, await runPrerender('record'));
  }
} finally {
  await server.close();
}
