// The web-vitals attribution build as an analytics snippet would use it: all five metrics with
// attribution, default options, each kept in memory (nothing sent anywhere). The peer the
// agent's overhead is measured against (scripts/lib/bench-overhead.mjs, profile-agent.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './browsers.mjs';

// The package's exports map hides dist/, so read the file from node_modules directly (as
// tests/support/oracle.mjs does).
const webVitalsDir = join(ROOT, 'node_modules/web-vitals');
export const webVitalsFile = join(webVitalsDir, 'dist/web-vitals.attribution.iife.js');
export const webVitalsVersion = JSON.parse(readFileSync(join(webVitalsDir, 'package.json'), 'utf8')).version;
export const webVitalsInitScript = `${readFileSync(webVitalsFile, 'utf8')}
;(() => {
  const seen = (window.__webVitals = {});
  for (const on of ['onFCP', 'onTTFB', 'onLCP', 'onCLS', 'onINP']) webVitals[on]((m) => { seen[m.name] = m.value; });
})();`;
