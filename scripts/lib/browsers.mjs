// Real browsers with the built extension loaded: Chromium through playwright-core (persistent
// context, unpacked MV3 extension) and Firefox ESR through puppeteer-core over WebDriver BiDi
// (temporary add-on). Both sessions offer the same small interface:
//   open(url, {initScript, waitUntil, background}) -> page (evaluate, close); waitUntil 'load'
//                           (default), 'domcontentloaded' (a page that never fires load) or
//                           'commit' (the page's document exists; it may still be loading);
//                           background: loaded in a tab behind, hidden from the start
//                           (Chromium only when launched with `hiddenTabs`)
//   isolate()               -> {open, close}: pages opened through it start from a fresh
//                           browsing state (empty HTTP cache, no cookies, service workers
//                           or storage) and share it with each other, not with earlier ones
//   extensionStates()       -> the background's per-tab records from storage.session
//   openExtensionPage(path, {beforeLoad}) -> a new tab with the extension's page at `path`
//                           (e.g. popup.html?tab=3); beforeLoad(page) runs before it loads
//   close()
// A missing browser throws: tests fail rather than skip.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The add-on id Firefox knows the built extension by (its manifest's gecko id). */
const geckoId = () => JSON.parse(readFileSync(join(ROOT, 'dist/firefox/manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
/** Fixed so that tests can open the extension's pages; Firefox otherwise picks a random one. */
const FIREFOX_EXTENSION_UUID = '6d1f5c2e-9a47-4b8e-9f0c-2a7e5b3c8d14';

function which(names) {
  for (const name of names) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  return null;
}

/**
 * The Chromium to run: $PAGEVITALS_CHROMIUM, else the system's (`chromium`,
 * `chromium-browser`), else the one `npx playwright install chromium` downloaded.
 */
function findChromium(chromium) {
  const named = process.env.PAGEVITALS_CHROMIUM;
  if (named) {
    if (!existsSync(named)) throw new Error(`Chromium not found at PAGEVITALS_CHROMIUM=${named}`);
    return named;
  }
  const system = which(['chromium', 'chromium-browser']);
  if (system) return system;
  let downloaded = null;
  try {
    downloaded = chromium.executablePath();
  } catch {
    // playwright-core knows no browser of its own here
  }
  if (downloaded && existsSync(downloaded)) return downloaded;
  throw new Error(
    existsSync(join(ROOT, 'scripts/setup'))
      ? 'Chromium not found: run scripts/setup'
      : 'Chromium not found: install one (apt install chromium, or npx playwright install chromium) or set PAGEVITALS_CHROMIUM',
  );
}

function requireExtension(browser) {
  const dir = join(ROOT, 'dist', browser);
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`${dir} is missing: run scripts/build`);
  }
  return dir;
}

/**
 * `hiddenTabs`: a browser in which a page behind another is hidden, as for users, so that
 * `open(url, { background: true })` loads a page hidden. Playwright turns on focus emulation
 * in every page of a browser it launches, and that shows every page as visible (the
 * `visibility-state` entries of a page opened behind read `visible`). In a Chromium started
 * here and attached to with `connectOverCDP`'s `noDefaults`, it does not. Only the hidden-at-
 * load scenario needs this: without focus emulation a page not in front is hidden, which
 * other tests must not meet by accident.
 *
 * `startUrl` and `attachAfter` (a promise): Chromium, started here too, opens `startUrl`
 * before any DevTools client is attached, and playwright-core attaches (as for `hiddenTabs`)
 * once `attachAfter` settles. Chromium does not prerender from a page that has a DevTools
 * session (`PrerenderingDisabledByDevTools`), so the prerender scenario needs this.
 */
export async function launchChromium({
  extension = true,
  args: extraArgs = [],
  hiddenTabs = false,
  startUrl = 'about:blank',
  attachAfter = null,
} = {}) {
  const { chromium } = await import('playwright-core');
  const executablePath = findChromium(chromium);
  const profile = mkdtempSync(join(tmpdir(), 'pv-chromium-'));
  const dir = extension ? requireExtension('chromium') : null;
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    // Without these Chromium floods a closed network with connection attempts.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    ...(dir ? [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`] : []),
    ...extraArgs,
  ];
  let started;
  if (hiddenTabs || attachAfter) {
    started = await startChromium(chromium, executablePath, profile, args, { startUrl, attachAfter });
  } else {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args,
      // Playwright turns the back/forward cache off; users have it on, and so do we.
      ignoreDefaultArgs: ['--disable-back-forward-cache'],
    });
    started = { context, exit: () => context.close() };
  }
  const { context } = started;
  let base = null;
  if (dir) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    base = `chrome-extension://${new URL(worker.url()).host}`;
    // The worker exists before its script has run: a page loaded in that moment loses the
    // webRequest events of its subresources (seen on the first page of a fresh browser).
    // Running something in the worker waits for its script to have registered its listeners.
    await worker.evaluate(() => true);
  }
  let extensionPage = null;
  // Every http(s) origin a page of this browser has requested from: what a fresh state clears.
  const origins = new Set();
  context.on('request', (request) => {
    const { protocol, origin } = new URL(request.url());
    if (protocol === 'http:' || protocol === 'https:') origins.add(origin);
  });
  let clearBeforeNextOpen = false;
  return {
    name: 'chromium',
    version: context.browser()?.version() ?? execFileSync(executablePath, ['--version'], { encoding: 'utf8' }).trim(),
    extensionBase: base,
    async open(url, { initScript, background = false, timeoutMs = 30_000, beforeLoad, waitUntil = 'load' } = {}) {
      if (background && !hiddenTabs) throw new Error('a hidden tab needs launchChromium({ hiddenTabs: true })');
      const page = background ? await openBehind(context) : await context.newPage();
      if (clearBeforeNextOpen) {
        clearBeforeNextOpen = false;
        // The Playwright module's call (imported here, not at the top: it loads the engine).
        const { clearBrowsingState } = await import('../../headless/index.mjs');
        await clearBrowsingState(page, [...origins]);
      }
      if (initScript) await page.addInitScript(initScript);
      beforeLoad?.(page);
      try {
        await page.goto(url, { waitUntil, timeout: timeoutMs });
      } catch (error) {
        await page.close().catch(() => {});
        throw error;
      }
      return page;
    },
    /**
     * A fresh browsing state, as a first visit finds it: its `open` is this session's, and the
     * first page it opens starts with an empty HTTP cache, no cookies, and no service worker,
     * cache storage, local storage or IndexedDB of any origin this browser has requested from
     * (DevTools protocol: `Network.clearBrowserCache`, `Network.clearBrowserCookies`,
     * `Storage.clearDataForOrigin`). Later pages share that state (repeat views) until the
     * next `isolate()`. The extension keeps its own storage; the browser process stays.
     */
    async isolate() {
      clearBeforeNextOpen = true;
      return { open: (url, options) => this.open(url, options), close: async () => {} };
    },
    async extensionStates() {
      return this.extensionEval(() => chrome.storage.session.get(null));
    },
    async openExtensionPage(path, { beforeLoad } = {}) {
      return openExtensionPage(context, `${base}/${path}`, beforeLoad);
    },
    /**
     * Runs `fn(arg)` where the WebExtension API is available: in the extension's service
     * worker while it runs (a few ms, and no tab opened in front of the page under test);
     * once the worker has been stopped, in an extension page (opening one costs about 200 ms,
     * once, and brings it to the front).
     */
    async extensionEval(fn, arg) {
      const worker = context.serviceWorkers().find((w) => w.url().startsWith(`${base}/`));
      if (worker) {
        try {
          return await worker.evaluate(fn, arg);
        } catch (error) {
          // Only a worker stopped under us falls through; an error of `fn` is the caller's.
          if (!/closed|destroyed|detached/i.test(error.message)) throw error;
        }
      }
      extensionPage ??= await openExtensionPage(context, `${base}/popup.html`);
      return extensionPage.evaluate(fn, arg);
    },
    context,
    async close() {
      await started.exit();
      rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/**
 * Starts headless Chromium with a DevTools port on `startUrl`, and once `attachAfter` settles
 * attaches playwright-core to it without Playwright's default page overrides (`noDefaults`);
 * the persistent context is the browser's default one. `exit()` closes the browser and waits
 * for its process (closing that context would only detach from it).
 */
async function startChromium(chromium, executablePath, profile, args, { startUrl, attachAfter }) {
  const child = spawn(
    executablePath,
    ['--headless', '--remote-debugging-port=0', `--user-data-dir=${profile}`, ...args, startUrl],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const endpoint = new Promise((resolve, reject) => {
    let text = '';
    const failed = (why) => {
      clearTimeout(timer);
      reject(new Error(`Chromium did not start (${why}): ${text.slice(-500)}`));
    };
    const timer = setTimeout(() => failed('no DevTools endpoint within 30 s'), 30_000);
    const read = (chunk) => {
      text += chunk;
      const found = /DevTools listening on (ws:\S+)/.exec(text);
      if (!found) return;
      clearTimeout(timer);
      // Keep draining stderr, unread, so that Chromium never blocks on a full pipe.
      child.stderr.off('data', read).resume();
      resolve(found[1]);
    };
    child.stderr.on('data', read);
    child.once('exit', (code) => failed(`exit ${code}`));
  });
  let browser;
  try {
    const [url] = await Promise.all([endpoint, attachAfter]);
    browser = await chromium.connectOverCDP(url, { noDefaults: true });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    context: browser.contexts()[0],
    async exit() {
      const cdp = await browser.newBrowserCDPSession();
      await cdp.send('Browser.close').catch(() => {});
      const late = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(late);
    },
  };
}

/** A new page behind the one in front (`Target.createTarget`'s `background`): hidden. */
async function openBehind(context) {
  const cdp = await context.browser().newBrowserCDPSession();
  const opened = context.waitForEvent('page');
  await cdp.send('Target.createTarget', { url: 'about:blank', background: true });
  const page = await opened;
  await cdp.detach();
  return page;
}

/** `beforeLoad(page)` runs before the page starts loading (to attach listeners). */
async function openExtensionPage(context, url, beforeLoad) {
  const page = await context.newPage();
  await beforeLoad?.(page);
  await page.goto(url);
  return page;
}

/** Sampling interval of `launchFirefox`'s `profile`, ms. */
export const FIREFOX_PROFILE_INTERVAL_MS = 4;

/**
 * `network: false` turns off puppeteer's WebDriver BiDi network events (`networkEnabled`),
 * which nothing here but the audit's network-quiet wait needs. With them, Firefox slows down
 * as a page's requests pile up (a page fetching 30,000 times, no extension: 300 entries/s at
 * first, 55/s at the end, the parent process grown from 0.6 to 1.7 GB); without them it keeps
 * 630 to 750/s throughout.
 *
 * `profile`: a file that Firefox's startup profiler writes when the browser closes (Gecko
 * profile format): the main thread of every process, sampled every
 * `FIREFOX_PROFILE_INTERVAL_MS` with JavaScript stacks and each sample's thread CPU time
 * (`threadCPUDelta`, ns). Firefox 153's WebDriver BiDi has no profiler commands.
 *
 * `prefs`: more Firefox preferences for this browser (`about:config` names).
 */
export async function launchFirefox({ extension = true, network = true, profile = null, prefs = {} } = {}) {
  const executablePath = process.env.PAGEVITALS_FIREFOX || which(['firefox-esr', 'firefox']);
  if (!executablePath) {
    throw new Error(existsSync(join(ROOT, 'scripts/setup')) ? 'Firefox not found: run scripts/setup' : 'Firefox not found: install Firefox ESR (apt install firefox-esr) or set PAGEVITALS_FIREFOX');
  }
  const { default: puppeteer } = await import('puppeteer-core');
  const dir = extension ? requireExtension('firefox') : null;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    // Firefox 153 lets WebDriver navigate to moz-extension:// pages only with this flag.
    args: ['--remote-allow-system-access'],
    networkEnabled: network,
    ...(profile && {
      env: {
        ...process.env,
        MOZ_PROFILER_STARTUP: '1',
        MOZ_PROFILER_STARTUP_FEATURES: 'js,cpu',
        MOZ_PROFILER_STARTUP_FILTERS: 'GeckoMain',
        MOZ_PROFILER_STARTUP_INTERVAL: String(FIREFOX_PROFILE_INTERVAL_MS),
        // 8-byte entries per process: room for several minutes of samples.
        MOZ_PROFILER_STARTUP_ENTRIES: String(40_000_000),
        MOZ_PROFILER_SHUTDOWN: profile,
      },
    }),
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId()]: FIREFOX_EXTENSION_UUID }),
      ...prefs,
    },
  });
  if (dir) await browser.installExtension(dir);
  const base = dir ? `moz-extension://${FIREFOX_EXTENSION_UUID}` : null;
  let extensionPage = null;
  const session = {
    name: 'firefox',
    version: await browser.version(),
    extensionBase: base,
    async open(url, { initScript, background = false, timeoutMs = 30_000, beforeLoad, waitUntil = 'load', within = browser } = {}) {
      // A background tab is hidden from the start (Firefox hides tabs that are not selected).
      const page = await within.newPage(background ? { background: true } : undefined);
      if (initScript) await page.evaluateOnNewDocument(initScript);
      beforeLoad?.(page);
      if (waitUntil === 'commit') {
        // puppeteer has no such wait: the navigation goes on, and the page is returned once
        // its document is the one at `url`.
        page.goto(url, { timeout: 0 }).catch(() => {});
        await pollUntil(() => page.evaluate(() => location.href).then((href) => href === url, () => false), { timeoutMs });
        return page;
      }
      try {
        await page.goto(url, { waitUntil, timeout: timeoutMs });
      } catch (error) {
        await page.close().catch(() => {});
        throw error;
      }
      return page;
    },
    /**
     * A fresh browsing state, as a first visit finds it: a new WebDriver BiDi user context (a
     * Firefox container), whose HTTP cache, cookies, service workers and storage are its own
     * and start empty. Its `open` opens pages in it; pages opened in it share that state
     * (repeat views); `close()` removes it with its data. The extension runs in every
     * container; the browser process stays.
     */
    async isolate() {
      const context = await browser.createBrowserContext();
      return {
        open: (url, options) => session.open(url, { ...options, within: context }),
        close: () => context.close().catch(() => {}),
      };
    },
    async extensionStates() {
      return this.extensionEval(() => browser.storage.session.get(null));
    },
    /** Runs `fn(arg)` in an extension page, where the WebExtension API is available. */
    async extensionEval(fn, arg) {
      extensionPage ??= await this.openExtensionPage('popup.html');
      return extensionPage.evaluate(fn, arg);
    },
    async openExtensionPage(path, { beforeLoad } = {}) {
      const page = await browser.newPage();
      await beforeLoad?.(page);
      // puppeteer over BiDi never sees the navigation events of a moz-extension:// page,
      // so goto() would time out although the page loads: start it, then poll for it.
      page.goto(`${base}/${path}`, { timeout: 0 }).catch(() => {});
      // A throw means the page is still mid-navigation: not ready yet.
      await pollUntil(() =>
        page
          .evaluate(() => location.protocol === 'moz-extension:' && document.readyState === 'complete')
          .catch(() => false),
      );
      return page;
    },
    browser,
    async close() {
      if (profile) await exitOnItsOwn(browser);
      await browser.close();
    },
  };
  // The add-on's event page starts on its own after the install; a page loaded before it has
  // registered its listeners loses its webRequest events (seen: no response record for the
  // first page of a fresh browser, one run in two). Asking for the page waits until it runs.
  if (dir) await session.extensionEval(() => browser.runtime.getBackgroundPage().then(() => true));
  return session;
}

/**
 * Asks Firefox to close and waits until its process has exited. puppeteer's own close kills a
 * browser still running when the close command returns, which cuts short the profile Firefox
 * writes as it shuts down.
 */
async function exitOnItsOwn(browser, timeoutMs = 120_000) {
  const child = browser.process();
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await browser.connection.send('browser.close', {}).catch(() => {});
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([exited, late]);
  clearTimeout(timer);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Calls `check` every `intervalMs` (100) until it resolves truthy, and returns that value; after
 * `timeoutMs`, throws what `onTimeout()` gives. Polling a condition, never sleeping a guess.
 * An error thrown by `check` ends the wait.
 */
export async function pollUntil(check, { timeoutMs = 10_000, onTimeout, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw onTimeout?.() ?? new Error(`condition not met within ${timeoutMs} ms: ${check}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const launchers = { chromium: launchChromium, firefox: launchFirefox };

/**
 * The background's page views for `url`, oldest first (a reload or a bfcache restore of the
 * same URL is a later view).
 */
export async function viewsFor(session, url) {
  // Filtered where the storage is, so that only this URL's views cross the DevTools or
  // WebDriver connection: a long audit stores many views, and reading them all at every poll
  // grew each wait by tens of ms per page audited before.
  const views = await session.extensionEval(
    (wanted) =>
      (globalThis.browser ?? globalThis.chrome).storage.session
        .get(null)
        .then((all) => Object.entries(all).filter(([key, s]) => key.startsWith('view:') && s?.log?.page?.url === wanted).map(([, s]) => s)),
    url,
  );
  const order = (s) => [s.log.page.timeOrigin ?? 0, s.log.page.restoredAt ?? 0];
  return views.sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);
}

/**
 * Polls the extension's stored state until the latest page view of `url` whose report
 * satisfies `ready(report, state)` exists, or throws after `timeoutMs` with what was there.
 * Polling a condition, not sleeping a guess.
 */
export async function waitForReport(session, url, ready, { timeoutMs = 15_000, intervalMs = 100 } = {}) {
  let views = [];
  return pollUntil(
    async () => {
      views = await viewsFor(session, url);
      const broken = views.find((s) => s.error);
      if (broken) throw new Error(`the engine rejected the log: ${JSON.stringify(broken.error)}`);
      return [...views].reverse().find((s) => s.report && ready(s.report, s));
    },
    {
      timeoutMs,
      intervalMs,
      onTimeout: () =>
        new Error(`no ready report for ${url} within ${timeoutMs} ms; latest: ${JSON.stringify(views.at(-1)?.report ?? null)}`),
    },
  );
}
