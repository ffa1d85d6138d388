// The audit: serve the demo site (or take a URL), open it in a real browser with the
// extension loaded, wait for the extension's report, and print it.
// Exit status: 0 measured, 2 bad input or a browser/navigation error.
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { launchers, ROOT, waitForReport } from './browsers.mjs';
import { serve } from './server.mjs';

const USAGE = `usage: scripts/audit [--browser chromium|firefox] [URL]
With no URL, serves and audits the bundled demo site (tests/sites/demo).`;

function fail(message) {
  console.error(`audit: ${message}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { browser: { type: 'string', default: 'chromium' }, help: { type: 'boolean' } },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const browserName = args.values.browser;
if (!launchers[browserName]) fail(`unknown browser '${browserName}'\n${USAGE}`);
if (args.positionals.length > 1) fail(`one URL at a time for now\n${USAGE}`);

const ms = (v) => `${Math.round(v)} ms`;
const DESCRIBE = {
  TTFB: (a) =>
    `waiting ${ms(a.waitingDuration)}, cache ${ms(a.cacheDuration)}, DNS ${ms(a.dnsDuration)}, ` +
    `connection ${ms(a.connectionDuration)}, request ${ms(a.requestDuration)}`,
  FCP: (a) => `first byte at ${ms(a.timeToFirstByte)}, then ${ms(a.firstByteToFCP)} to paint (${a.loadState})`,
};

async function main() {
  let server = null;
  let url = args.positionals[0];
  if (url) {
    try {
      const parsed = new URL(url);
      if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('not http(s)');
    } catch {
      fail(`not an http(s) URL: ${url}`);
    }
  } else {
    server = await serve(join(ROOT, 'tests/sites/demo'));
    url = `${server.url}/index.html`;
  }
  const session = await launchers[browserName]().catch((e) => fail(`cannot start ${browserName}: ${e.message}`));
  try {
    console.error(`Auditing ${url} in ${session.name} ${session.version} with the PageVitals extension...`);
    const page = await session.open(url).catch((e) => fail(`cannot load ${url}: ${e.message}`));
    const { report } = await waitForReport(session, url, (r) => r.metrics.FCP && r.metrics.TTFB);
    await page.close();
    print(report);
  } finally {
    await session.close();
    await server?.close();
  }
}

function print(report) {
  console.log(`\nPageVitals report for ${report.page.url}`);
  console.log(`navigation: ${report.page.navigationType}\n`);
  console.log(`${'metric'.padEnd(8)}${'value'.padStart(10)}  ${'rating'.padEnd(19)}breakdown`);
  for (const [name, metric] of Object.entries(report.metrics)) {
    const describe = DESCRIBE[name] ?? (() => '');
    console.log(`${name.padEnd(8)}${ms(metric.value).padStart(10)}  ${metric.rating.padEnd(19)}${describe(metric.attribution)}`);
  }
  const missing = ['LCP', 'CLS', 'INP'].filter((n) => !report.metrics[n]);
  if (missing.length) console.log(`\nnot computed by this build: ${missing.join(', ')}`);
  if (report.unsupportedEntryTypes.length) {
    console.log(`unsupported in this browser: ${report.unsupportedEntryTypes.join(', ')}`);
  }
  const counts = Object.entries(report.entryCounts).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`records: ${counts}`);
}

main().catch((error) => fail(error.message));
