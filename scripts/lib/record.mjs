// See scripts/record-logs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { launchers, ROOT } from './browsers.mjs';
import { serve } from './server.mjs';
import { WEB_VITALS_VERSION } from '../../tests/support/oracle.mjs';
import { runScenario, scenarios } from '../../tests/support/scenarios.mjs';

const only = process.argv.slice(2);
const chosen = scenarios.filter((s) => only.length === 0 || only.includes(s.name));
if (chosen.length === 0) throw new Error(`no scenario named ${only.join(', ')}`);

const server = await serve(join(ROOT, 'tests/sites/fixtures'));
try {
  for (const browser of ['chromium', 'firefox']) {
    const session = await launchers[browser]();
    try {
      for (const scenario of chosen.filter((s) => s.browsers.includes(browser))) {
        const { page, oracle, state } = await runScenario(session, server.url, scenario);
        const file = join(ROOT, 'tests/data', `${scenario.name}.${browser}.json`);
        const record = {
          scenario: scenario.name,
          browser: `${session.name} ${session.version}`,
          webVitals: WEB_VITALS_VERSION,
          oracle,
          log: state.log,
        };
        writeFileSync(file, JSON.stringify(record, null, 1) + '\n');
        console.log(`recorded ${file}`);
        await page.close();
      }
    } finally {
      await session.close();
    }
  }
} finally {
  await server.close();
}
