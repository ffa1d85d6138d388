// What a cold run costs the audit (docs/benchmarks.md, issue 20): in each browser, opening and
// closing `about:blank` with a fresh browsing state (`session.isolate()`) against without, 12
// interleaved pairs, medians; then where each run's time goes in an audit of 6 URLs of the demo
// site in one browser (PAGEVITALS_TRACE=1, one line per run on stderr).
//   node scripts/lib/bench-isolate.mjs
import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { launchChromium, launchFirefox, ROOT } from './browsers.mjs';
import { serveTwoOrigins } from './server.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const launch of [launchChromium, launchFirefox]) {
  const session = await launch();
  const times = { plain: [], fresh: [] };
  for (let i = 0; i < 12; i += 1) {
    for (const kind of i % 2 ? ['plain', 'fresh'] : ['fresh', 'plain']) {
      const started = performance.now();
      const state = kind === 'fresh' ? await session.isolate() : { open: (u, o) => session.open(u, o), close: async () => {} };
      const page = await state.open('about:blank');
      await page.close();
      await state.close();
      times[kind].push(performance.now() - started);
    }
  }
  console.log(`${session.name}: open and close about:blank, median of 12: ${median(times.fresh).toFixed(0)} ms with a fresh state, ${median(times.plain).toFixed(0)} ms without`);
  await session.close();
}

const server = await serveTwoOrigins(join(ROOT, 'tests/sites/demo'));
const urls = Array.from({ length: 6 }, (_, i) => `${server.url}/index.html?trace${i}`);
await new Promise((resolve) => {
  const child = execFile(process.execPath, [join(ROOT, 'scripts/lib/audit.mjs'), ...urls], { env: { ...process.env, PAGEVITALS_TRACE: '1' } }, resolve);
  child.stderr.on('data', (d) => String(d).split('\n').filter((l) => l.startsWith('trace ')).forEach((l) => console.log(l)));
});
await server.close();
