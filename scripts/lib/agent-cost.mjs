// The agent's own account of its main-thread time (`agentCost` in the entry log: every
// observer callback, listener and send, timed around its outermost call with the page's
// clock), beside the page's ScriptDuration, for loads of the overhead benchmark's page with the
// extension (docs/overhead.md, "The floor"). A diagnostic run by hand, not part of the tests.
//
// Usage: node scripts/lib/agent-cost.mjs [--runs N]   (default 8)
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { launchChromium, ROOT, waitForReport } from './browsers.mjs';
import { serve } from './server.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '8' } } });
const server = await serve(join(ROOT, 'tests/sites/bench'));
const session = await launchChromium();
try {
  for (let i = 0; i < Number(values.runs); i += 1) {
    const url = `${server.url}/index.html?cost${i}`;
    const page = await session.context.newPage();
    const cdp = await session.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(url);
    // The overhead benchmark's settle: its counters are read 1000 ms after load.
    await new Promise((r) => setTimeout(r, 1000));
    const { metrics } = await cdp.send('Performance.getMetrics');
    const scriptMs = metrics.find((m) => m.name === 'ScriptDuration').value * 1000;
    const { log } = await waitForReport(session, url, (r) => r.metrics.FCP);
    const { tasks, totalMs, maxTaskMs } = log.agentCost;
    console.log(
      `load ${i + 1}: ScriptDuration ${scriptMs.toFixed(2)} ms; agentCost ${totalMs.toFixed(1)} ms in ${tasks} tasks ` +
        `(longest ${maxTaskMs.toFixed(1)}) for ${log.records.length} records`,
    );
    await page.close();
  }
} finally {
  await session.close();
  await server.close();
}
