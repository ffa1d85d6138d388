// The web-vitals package's attribution build, read once for everything that injects it: the
// tests' oracle (tests/support/oracle.mjs) and, as an analytics snippet would use it (all five
// metrics with attribution, default options, each kept in memory, nothing sent anywhere), the
// peer the agent's overhead is measured against (bench-overhead.mjs, profile-agent.mjs).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './browsers.mjs';

// The package's exports map hides dist/, so read the file from node_modules directly (as
// tests/support/oracle.mjs does).
const webVitalsDir = join(ROOT, 'node_modules/web-vitals');
export const webVitalsFile = join(webVitalsDir, 'dist/web-vitals.attribution.iife.js');
/** The same build as an ES module (for a peer delivered the way the agent is: imported). */
export const webVitalsModuleFile = join(webVitalsDir, 'dist/web-vitals.attribution.js');
export const webVitalsVersion = JSON.parse(readFileSync(join(webVitalsDir, 'package.json'), 'utf8')).version;
/** The attribution build's IIFE, which defines `window.webVitals`. */
export const webVitalsIife = readFileSync(webVitalsFile, 'utf8');
/** What the snippet does with the library (bound to `webVitals`): every metric, kept in memory. */
const webVitalsCalls = `const seen = (window.__webVitals = {});
  for (const on of ['onFCP', 'onTTFB', 'onLCP', 'onCLS', 'onINP']) webVitals[on]((m) => { seen[m.name] = m.value; });`;
export const webVitalsInitScript = `${webVitalsIife}
;(() => {
  ${webVitalsCalls}
})();`;

/**
 * A content script that imports web-vitals' ES module build from its extension (`path` inside
 * it) and runs the snippet's calls in the extension's isolated world: the peer delivered the way
 * the agent is (a content script at document_start importing a module).
 */
export const webVitalsImportingContentScript = (path) => `(() => {
  import(chrome.runtime.getURL('${path}')).then((webVitals) => {
    ${webVitalsCalls}
  }).catch(() => {});
})();
`;

/**
 * Writes into `dir` the smallest Chromium extension that measures a page with web-vitals as an
 * extension must: the importing content script above and the module, nothing else (no
 * background, no permissions). The overhead benchmark's configuration D.
 */
export function writeWebVitalsExtension(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(webVitalsModuleFile, join(dir, 'web-vitals.js'));
  writeFileSync(join(dir, 'content.js'), webVitalsImportingContentScript('web-vitals.js'));
  const matches = ['http://*/*', 'https://*/*'];
  const manifest = {
    manifest_version: 3,
    name: 'web-vitals peer (benchmark only)',
    version: webVitalsVersion,
    content_scripts: [{ matches, js: ['content.js'], run_at: 'document_start' }],
    web_accessible_resources: [{ resources: ['web-vitals.js'], matches }],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}
