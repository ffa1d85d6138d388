// Whether Firefox keeps a page in its back/forward cache when it is left right after `load`,
// with no extension and with the built extension (dist/firefox): each visit opens a fresh URL,
// follows a link at once (a task after `load`), goes back, and reads whether the page came back
// from the cache (`pageshow` with `persisted`). Firefox keeps no page that is left while one of
// its requests is in flight, a content script's import or fetch included
// (scripts/lib/firefox-content.mjs says what that changed).
//
//   node scripts/lib/firefox-bfcache.mjs [--visits N]    (default 6 per configuration)
import { parseArgs } from 'node:util';
import { launchFirefox, pollUntil } from './browsers.mjs';
import { serve } from './server.mjs';

const { values } = parseArgs({ options: { visits: { type: 'string', default: '6' } } });
const visits = Number(values.visits);
const server = await serve('tests/sites/fixtures');
const RESTORES = "addEventListener('pageshow', (e) => e.persisted && sessionStorage.setItem('restored', '1'), true);";
const at = (page, path) =>
  pollUntil(() => page.evaluate((p) => location.pathname === p && document.readyState === 'complete', path).catch(() => false));
try {
  for (const extension of [false, true]) {
    const session = await launchFirefox({ extension });
    let restored = 0;
    try {
      for (let i = 0; i < visits; i++) {
        const page = await session.open(`${server.url}/late-lcp.html?visit=${extension}-${i}&cache-control=no-cache`, { initScript: RESTORES });
        await page.evaluate((next) => setTimeout(() => location.assign(next), 0), `${server.url}/next.html`);
        await at(page, '/next.html');
        await page.evaluate(() => setTimeout(() => history.back(), 0));
        await at(page, '/late-lcp.html');
        await new Promise((r) => setTimeout(r, 300));
        if (await page.evaluate(() => sessionStorage.getItem('restored') === '1')) restored += 1;
        await page.close();
      }
    } finally {
      await session.close();
    }
    console.log(`${extension ? 'with the extension' : 'no extension'}: ${restored} of ${visits} visits restored from the back/forward cache`);
  }
} finally {
  await server.close();
}
