// How a tab closed right after `load` fares with the extension in Chromium (docs/metrics.md, "FCP
// of a tab closed as its first paint is presented"): opens the leave matrix's page with the
// web-vitals beacon oracle `--closes` times (default 20) per form (ordinary page, strict CSP),
// closes each tab as soon as `load` has been seen, waits 2.5 s, and counts the page views
// lost whole, those that lack a metric web-vitals reported (and whether web-vitals reported
// that FCP after `pagehide`), and those equal in which metrics they have.
//   node scripts/lib/closed-tabs.mjs [--closes N]
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { launchChromium, ROOT, viewsFor } from './browsers.mjs';
import { serve } from './server.mjs';
import { beaconOracleInitScript, beaconOracleViews } from '../../tests/support/oracle.mjs';

const { values } = parseArgs({ options: { closes: { type: 'string', default: '20' } } });
const closes = Number(values.closes);
const server = await serve(join(ROOT, 'tests/sites/fixtures'));
const session = await launchChromium({ extension: true });
try {
  for (const [form, query] of [['ordinary page', ''], ['strict CSP', '&csp=strict']]) {
    const counts = { 'no view': 0, 'FCP after pagehide missing': 0, 'other metric missing': 0, 'same metrics': 0 };
    for (let i = 0; i < closes; i += 1) {
      const path = `/leave.html?close${query}&n=${i}`;
      const url = `${server.url}${path}`;
      const page = await session.open(url, { initScript: beaconOracleInitScript });
      await page.close();
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const [view] = await viewsFor(session, url);
      const oracle = beaconOracleViews(server, path)[0] ?? {};
      const missing = Object.keys(oracle).filter((name) => !view?.report.metrics[name]);
      if (!view) counts['no view'] += 1;
      else if (missing.length === 0) counts['same metrics'] += 1;
      else if (missing.length === 1 && missing[0] === 'FCP' && oracle.FCP.afterPagehide) counts['FCP after pagehide missing'] += 1;
      else counts['other metric missing'] += 1;
    }
    console.log(`${form}, ${closes} tabs closed at load:`, JSON.stringify(counts));
  }
} finally {
  await session.close();
  await server.close();
}
