// The popup benchmark (scripts/bench-popup): opens popup.html?tab=<id> on a measured fixture
// tab N times in headless Chromium with the built extension and reads the popup's own
// `pv:rendered` mark (ms from the popup page's time origin, i.e. from opening it); measures
// the popup's wasm, raw and brotli. Prints both against the targets; exits 1 when one is
// missed.
import { join } from 'node:path';

import { launchChromium, pollUntil, ROOT, waitForReport } from './browsers.mjs';
import { serve } from './server.mjs';
import { POPUP_FILES, sizeOf } from './sizes.mjs';

const RENDER_TARGET_MS = 150;
const WASM_TARGET_BYTES = 300 * 1024;
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await serve(join(ROOT, 'tests/sites/fixtures'));
const session = await launchChromium();
try {
  const url = `${server.url}/basic.html?bench-popup`;
  await session.open(url);
  const { log } = await waitForReport(session, url, (r) => r.metrics.FCP && r.metrics.LCP);
  const states = await session.extensionStates();
  const [key] = Object.entries(states).find(([k, v]) => k.startsWith('tab:') && v.current === log.page.navigationId);
  const tabId = Number(key.slice('tab:'.length));

  const times = [];
  for (let i = 0; i < runs; i++) {
    const popup = await session.openExtensionPage(`popup.html?tab=${tabId}`);
    const ms = await pollUntil(() =>
      popup.evaluate(() => {
        const [mark] = performance.getEntriesByName('pv:rendered');
        return mark && document.querySelector('[data-testid=metric-LCP][data-status=measured]') ? mark.startTime : null;
      }),
    );
    times.push(ms);
    await popup.close();
  }
  const dir = join(ROOT, 'dist/chromium');
  const wasm = sizeOf([join(dir, 'popup/pagevitals_popup_bg.wasm')]);
  const all = sizeOf(POPUP_FILES.map((f) => join(dir, f)));
  const renderMs = median(times);
  const ok = renderMs <= RENDER_TARGET_MS && wasm.brotli <= WASM_TARGET_BYTES;
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`popup first meaningful render: median ${renderMs.toFixed(1)} ms of ${runs} (target ${RENDER_TARGET_MS} ms); runs: ${times.map((t) => t.toFixed(1)).join(', ')}`);
  console.log(`popup wasm: ${kb(wasm.raw)} raw, ${kb(wasm.brotli)} brotli (target ${kb(WASM_TARGET_BYTES)} brotli)`);
  console.log(`popup, everything it loads: ${kb(all.raw)} raw, ${kb(all.brotli)} brotli`);
  console.log(ok ? 'targets met' : 'TARGET MISSED');
  process.exitCode = ok ? 0 : 1;
} finally {
  await session.close();
  await server.close();
}
