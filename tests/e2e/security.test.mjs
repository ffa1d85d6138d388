// Security and privacy, each checked for real: the Firefox build passes `web-ext lint`; every
// permission the manifest asks for is explained in the README; the extension makes no network
// request of its own (Chromium behind a recording proxy); and a page can neither message the
// background nor forge, read or alter a report.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';

import { launchChromium, ROOT, waitForReport } from '../../scripts/lib/browsers.mjs';
import { serve } from '../../scripts/lib/server.mjs';
import { browserSuite } from '../support/suite.mjs';

const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));

describe('the built extension', () => {
  test('web-ext lint reports no errors for the Firefox build', async () => {
    const out = await new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [join(ROOT, 'node_modules/web-ext/bin/web-ext.js'), 'lint', '--source-dir', join(ROOT, 'dist/firefox'), '--output', 'json'],
        { cwd: ROOT, timeout: 120_000, maxBuffer: 16 << 20 },
        // web-ext exits non-zero when it finds errors; the JSON says which.
        (error, stdout) => (stdout ? resolve(stdout) : reject(error)),
      );
    });
    const report = JSON.parse(out);
    assert.deepEqual(report.errors.map((e) => `${e.code} ${e.file ?? ''}: ${e.message}`), []);
  });

  test('every permission and host permission is explained in the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Permissions'), readme.indexOf('\n## ', readme.indexOf('## Permissions') + 1));
    for (const permission of [...manifest.permissions, ...manifest.host_permissions]) {
      assert.ok(section.includes(`\`${permission}\``), `README's permissions section explains ${permission}`);
    }
    assert.ok(!manifest.permissions.includes('tabs') && !manifest.host_permissions.includes('<all_urls>'));
  });
});

describe('network: the extension sends nothing off the machine (chromium)', () => {
  let site;
  let proxy;
  const seen = [];
  before(async () => {
    site = await serve(join(ROOT, 'tests/sites/fixtures'));
    // A recording HTTP proxy: every request the browser makes, loopback included, passes here.
    proxy = createServer((req, res) => {
      seen.push(req.url);
      const target = new URL(req.url);
      const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      // The browser may drop a connection at any moment (a page closed mid-request).
      upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end());
      req.on('error', () => upstream.destroy());
      res.on('error', () => upstream.destroy());
      req.pipe(upstream);
    });
    proxy.on('connect', (req, socket) => {
      seen.push(`CONNECT ${req.url}`);
      socket.on('error', () => {});
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    proxy.on('clientError', (error, socket) => socket.destroy());
    await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    await site?.close();
    await new Promise((r) => proxy?.close(r));
  });

  /** Measures a page in Chromium behind the proxy; returns the requests not to the page's origin. */
  async function foreignRequests(extension) {
    seen.length = 0;
    const session = await launchChromium({
      extension,
      args: [`--proxy-server=http://127.0.0.1:${proxy.address().port}`, '--proxy-bypass-list=<-loopback>'],
    });
    try {
      const url = `${site.url}/headers.html?proxy-${extension}`;
      const page = await session.open(url);
      await page.click('body');
      await page.goto(`${site.url}/next.html`);
      if (extension) await waitForReport(session, url, (r) => r.metrics.LCP);
      await page.close();
    } finally {
      await session.close();
    }
    const origin = new URL(site.url).origin;
    assert.ok(seen.some((u) => u.startsWith(origin)), 'the proxy saw the page\'s requests');
    return new Set(seen.filter((u) => !u.startsWith(origin)).map((u) => u.replace(/^CONNECT /, '').split('/')[0]));
  }

  test('while pages are measured, no request goes anywhere Chromium itself does not go', async () => {
    // Chromium contacts a few Google hosts by itself (sign-in, updates) even with background
    // networking off: the same steps without the extension give that baseline.
    const baseline = await foreignRequests(false);
    const measured = await foreignRequests(true);
    const extra = [...measured].filter((host) => !baseline.has(host));
    assert.deepEqual(extra, [], `hosts contacted only with the extension loaded (baseline: ${[...baseline]})`);
  });

  test('the shipped code fetches only the extension\'s own files', () => {
    for (const file of ['content.js', 'background.js', 'agent/loader.js', 'options.js', 'popup.js']) {
      let code;
      try {
        code = readFileSync(join(ROOT, 'dist/chromium', file), 'utf8');
      } catch {
        continue;
      }
      for (const api of ['XMLHttpRequest', 'WebSocket', 'sendBeacon', 'EventSource']) {
        assert.ok(!code.includes(api), `${file} uses ${api}`);
      }
      for (const call of code.matchAll(/fetch\(([^)]*)\)/g)) {
        assert.match(call[1], /^[a-zA-Z_$][\w$]*\+"pagevitals_agent_bg\.wasm"$|^\w+ \+ 'pagevitals_agent_bg\.wasm'$/, `${file}: fetch(${call[1]}) of an extension file only`);
      }
    }
  });
});

for (const browser of ['chromium', 'firefox']) {
  describe(`a hostile page in ${browser}`, () => {
    const suite = browserSuite(browser);

    test('cannot message the background, forge input or records, or read the reports', async () => {
      const url = `${suite.server.url}/basic.html?forge`;
      const page = await suite.session.open(url);
      const { log } = await waitForReport(suite.session, url, (r) => r.metrics.FCP);
      const extensionId = suite.session.extensionBase.split('//')[1];
      const attempts = await page.evaluate(async (id) => {
        const results = {};
        const runtime = globalThis.chrome?.runtime ?? globalThis.browser?.runtime;
        try {
          if (!runtime?.sendMessage) throw new Error('no runtime.sendMessage in the page');
          await runtime.sendMessage(id, { type: 'pv:batch', json: '{"page":{"navigationId":"forged"},"records":[]}' });
          results.message = 'sent';
        } catch (error) {
          results.message = `refused: ${error.message}`;
        }
        // Synthetic (untrusted) input, and messages on the window the content script shares.
        document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
        window.postMessage({ type: 'pv:batch', json: '{"page":{"navigationId":"forged"},"records":[]}' }, '*');
        results.storage = typeof (globalThis.chrome?.storage ?? globalThis.browser?.storage);
        return results;
      }, extensionId);
      assert.match(attempts.message, /^refused/);
      assert.equal(attempts.storage, 'undefined', 'no extension storage in the page');
      // Let the agent flush whatever it saw, then check nothing forged reached the reports.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 600)));
      const states = await suite.session.extensionStates();
      assert.ok(!JSON.stringify(states).includes('forged'), 'no forged page view');
      const view = Object.values(states).find((v) => v.log?.page?.navigationId === log.page.navigationId);
      assert.ok(!view.log.records.some((r) => r.lifecycle === 'input'), 'untrusted input is not recorded');
      await page.close();
    });
  });
}
