// The web-vitals package's attribution build, read once for everything that injects it: the
// tests' oracle (tests/support/oracle.mjs) and, as an analytics snippet would use it (all five
// metrics with attribution, default options, each kept in memory, nothing sent anywhere), the
// peer the agent's overhead is measured against (bench-overhead.mjs, profile-agent.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './browsers.mjs';

// The package's exports map hides dist/, so read the file from node_modules directly (as
// tests/support/oracle.mjs does).
const webVitalsDir = join(ROOT, 'node_modules/web-vitals');
export const webVitalsFile = join(webVitalsDir, 'dist/web-vitals.attribution.iife.js');
export const webVitalsVersion = JSON.parse(readFileSync(join(webVitalsDir, 'package.json'), 'utf8')).version;
/** The attribution build's IIFE, which defines `window.webVitals`. */
export const webVitalsIife = readFileSync(webVitalsFile, 'utf8');
export const webVitalsInitScript = `${webVitalsIife}
;(() => {
  const seen = (window.__webVitals = {});
  for (const on of ['onFCP', 'onTTFB', 'onLCP', 'onCLS', 'onINP']) webVitals[on]((m) => { seen[m.name] = m.value; });
})();`;
