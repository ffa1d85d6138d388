// The audit command (scripts/lib/audit.mjs, behind scripts/audit) as CI runs it: several runs
// with median, p75 and spread, a budget (exit 1 on failure), JSON, JUnit and Markdown outputs,
// and clear errors (exit 2) that still write the results of the URLs already audited.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT } from '../../scripts/lib/browsers.mjs';
import { serve } from '../../scripts/lib/server.mjs';

const AUDIT = join(ROOT, 'scripts/lib/audit.mjs');

/** A loopback port nothing listens on. */
async function closedPort() {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

function audit(args, env = process.env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [AUDIT, ...args], { cwd: ROOT, timeout: 180_000, env }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

describe('audit command', () => {
  let server;
  let dir;
  before(async () => {
    server = await serve(join(ROOT, 'tests/sites/fixtures'));
    dir = mkdtempSync(join(tmpdir(), 'pv-audit-'));
  });
  after(async () => server?.close());

  test('three runs, a failing budget, and every output format', async () => {
    const budget = join(dir, 'budget.json');
    writeFileSync(budget, JSON.stringify([{ timings: [{ metric: 'first-contentful-paint', budget: 1 }] }]));
    const out = { json: join(dir, 'a.json'), junit: join(dir, 'a.xml'), markdown: join(dir, 'a.md') };
    const url = `${server.url}/basic.html`;
    const { code, stdout, stderr } = await audit([
      '--runs', '3', '--budget', budget, '--json', out.json, '--junit', out.junit, '--markdown', out.markdown, url,
    ]);
    assert.equal(code, 1, `a failed budget exits 1\n${stderr}`);
    assert.match(stderr, /run 3\/3/, 'progress per run');
    assert.match(stdout, /LCP\s+\d+ ms\s+\d+ ms\s+\d+ ms to \d+ ms/, 'median, p75 and spread');
    assert.match(stdout, /^budget .*budget\.json \((p75|median) of 3 runs\): FAIL$/m);
    const json = JSON.parse(readFileSync(out.json, 'utf8'));
    const [page] = json.results;
    assert.equal(page.runs, 3);
    assert.equal(page.reports.length, 3);
    assert.equal(page.summary.FCP.n, 3);
    assert.ok(page.summary.FCP.min <= page.summary.FCP.median && page.summary.FCP.median <= page.summary.FCP.max);
    assert.equal(page.evaluation.status, 'fail');
    const xml = readFileSync(out.junit, 'utf8');
    assert.match(xml, /<testcase classname="[^"]+basic\.html" name="budget timings first-contentful-paint"><failure message="measured \d/);
    assert.match(xml, /failures="1"/);
    assert.match(readFileSync(out.markdown, 'utf8'), /\| FCP \| \d+ ms \| \d+ ms \| \d+ ms to \d+ ms \| 3 \|/);
  });

  test('a bad budget is refused before any browser starts, naming the position', async () => {
    const budget = join(dir, 'bad.json');
    writeFileSync(budget, '[{"timings": [{"metric": "lcp", "budget": 2500}]}]');
    const { code, stderr } = await audit(['--budget', budget, `${server.url}/basic.html`]);
    assert.equal(code, 2);
    assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`);
    assert.match(stderr, /bad\.json:1:\d+: \/0\/timings\/0\/metric: .*largest-contentful-paint/);
  });

  test('an unreachable URL and a navigation timeout fail with exit 2; the other results are written', async () => {
    const json = join(dir, 'b.json');
    const unreachable = `http://127.0.0.1:${await closedPort()}/unreachable`;
    const slow = `${server.url}/basic.html?delay=5000`;
    const { code, stderr } = await audit(['--timeout', '1500', '--json', json, `${server.url}/basic.html?first`, unreachable, slow]);
    assert.equal(code, 2);
    const last = stderr.trim().split('\n').at(-1);
    assert.match(last, /^pagevitals audit: cannot load http:\/\/127\.0\.0\.1:\d+\/unreachable: .*ERR_CONNECTION_REFUSED/);
    const { results } = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(results[0].runs, 1);
    assert.ok(results[0].summary.FCP);
    assert.match(results[1].error, /cannot load .*ERR_CONNECTION_REFUSED/);
    assert.match(results[2].error, /cannot load .*[Tt]imeout/);
  });

  test('a missing browser is a one-line error, exit 2', async () => {
    const json = join(dir, 'c.json');
    const { code, stderr } = await audit(['--json', json, `${server.url}/basic.html`], { ...process.env, PATH: mkdtempSync(join(tmpdir(), 'pv-empty-path-')) });
    assert.equal(code, 2);
    assert.match(stderr.trim().split('\n').at(-1), /^pagevitals audit: cannot start chromium: Chromium not found: run scripts\/setup$/);
    assert.match(JSON.parse(readFileSync(json, 'utf8')).results[0].error, /Chromium not found/);
  });

  for (const browser of ['chromium', 'firefox']) {
    /**
     * Audits the cold fixture (cacheable CSS, script and image; a cookie, local storage,
     * IndexedDB and a service worker) and gives each counted run's report with what that
     * page view found left by the runs before it.
     */
    async function cacheAudit(name, args) {
      const json = join(dir, `${name}.json`);
      const carriedFile = join(dir, `${name}.carried.jsonl`);
      writeFileSync(carriedFile, '');
      const { code, stdout, stderr } = await audit(
        ['--browser', browser, '--json', json, '--interactions', join(ROOT, 'tests/support/cold-marks.mjs'), ...args, `${server.url}/cold.html?${name}`],
        { ...process.env, PV_CARRIED_FILE: carriedFile },
      );
      assert.equal(code, 0, stderr);
      const carried = readFileSync(carriedFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      const { results, cache } = JSON.parse(readFileSync(json, 'utf8'));
      return { stdout, stderr, cache, result: results[0], carried };
    }

    test(`${browser}: every run of an audit is a first visit by default`, async () => {
      const { stdout, stderr, cache, result, carried } = await cacheAudit(`cold-${browser}`, ['--runs', '3']);
      assert.equal(cache, 'cold');
      assert.equal(result.cache, 'cold');
      assert.match(stderr, /3 runs each from a cold cache/);
      assert.match(stdout, /\(3\/3 cold runs\)/);
      assert.deepEqual(result.reports.map((r) => r.run), [1, 2, 3].map((index) => ({ cache: 'cold', index })));
      const totals = result.reports.map((r) => r.resources.total);
      assert.deepEqual(totals.map((t) => t.cacheHits), [0, 0, 0], JSON.stringify(totals));
      assert.ok(totals[0].transferSize > 1000, JSON.stringify(totals[0]));
      assert.deepEqual(totals.map((t) => t.transferSize), totals.map(() => totals[0].transferSize), 'equal bytes in every run');
      const nothing = { cookie: false, localStorage: false, controlled: false, indexedDB: false };
      assert.deepEqual(carried, [1, 2, 3].map((run) => ({ run, ...nothing })), 'no cookie, storage or service worker carried over');
    });

    test(`${browser}: --cache warm measures repeat views after a priming load`, async () => {
      const { stderr, cache, result, carried } = await cacheAudit(`warm-${browser}`, ['--runs', '2', '--cache', 'warm']);
      assert.equal(cache, 'warm');
      assert.match(stderr, /2 runs each as repeat views/);
      assert.deepEqual(result.reports.map((r) => r.run), [1, 2].map((index) => ({ cache: 'warm', index })));
      // The cacheable files come from the cache in each counted run; the page itself does not.
      for (const report of result.reports) {
        const hit = (part) => report.resources.requests.find((q) => q.url.includes(part))?.cacheHit;
        assert.deepEqual(['cold.css', 'cold.js', 'hero.png?cold', 'cold.html'].map(hit), [true, true, true, false], JSON.stringify(report.resources.requests));
      }
      // The priming load (run 0) found nothing; the counted runs find what it left.
      assert.deepEqual(carried.map((c) => c.run), [0, 1, 2]);
      assert.equal(carried[0].controlled, false);
      for (const c of carried.slice(1)) assert.deepEqual(c, { run: c.run, cookie: true, localStorage: true, controlled: true, indexedDB: true });
    });
  }

  test('cold and warm runs are never checked against a budget together', async () => {
    const { checkBudget } = await import('../../headless/index.mjs');
    const { results } = JSON.parse(readFileSync(join(dir, 'cold-chromium.json'), 'utf8'));
    const [cold] = results[0].reports;
    const warm = { ...cold, run: { cache: 'warm', index: 1 } };
    assert.ok(['pass', 'warn', 'fail'].includes(checkBudget([cold, cold]).status));
    assert.throws(() => checkBudget([cold, warm]), /mix cold and warm runs/);
  });

  test('--ab alternates two builds of a page in one browser and calls a slower server a regression', async () => {
    const json = join(dir, 'ab.json');
    const a = `${server.url}/basic.html?ab`;
    const b = `${server.url}/basic.html?ab&delay=150`;
    const junit = join(dir, 'ab.xml');
    const markdown = join(dir, 'ab.md');
    const { code, stdout, stderr } = await audit(['--ab', '--runs', '6', '--json', json, '--junit', junit, '--markdown', markdown, a, b]);
    assert.equal(code, 1, `a regression exits 1\n${stderr}`);
    // Alternated: A, B, then B, A, ...
    const order = [...stderr.matchAll(/^\[(\d)\/2\] run (\d)\/6/gm)].map((m) => `${m[2]}${m[1] === '1' ? 'A' : 'B'}`);
    assert.deepEqual(order.slice(0, 6), ['1A', '1B', '2B', '2A', '3A', '3B']);
    assert.match(stdout, /^A\/B: A .*basic\.html\?ab \(baseline\) -> B .*delay=150, runs alternated in one browser$/m);
    assert.match(stdout, /^TTFB +\d+ ms -> \d+ ms +\+1\d\d ms .*REGRESSED/m);
    const file = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(file.comparison.baseline, a);
    const ttfb = file.comparison.comparisons.find((c) => c.metric === 'TTFB');
    assert.equal(ttfb.verdict, 'regressed');
    assert.equal(ttfb.base.n, 6);
    const xml = readFileSync(junit, 'utf8');
    assert.match(xml, /<testcase classname="[^"]+delay=150" name="no regression: TTFB"><failure message="/);
    assert.match(xml, /<testcase classname="[^"]+basic\.html\?ab" name="measure">/, 'the pages\' own cases stay');
    assert.match(readFileSync(markdown, 'utf8'), /^### PageVitals: \*\*\d+ regressions?\*\*$/m);
  });

  test('--baseline compares an audit with an earlier result file', async () => {
    const before = join(dir, 'before.json');
    const after = join(dir, 'after.json');
    const url = `${server.url}/basic.html?baseline`;
    assert.equal((await audit(['--runs', '4', '--json', before, url])).code, 0);
    const { code, stdout, stderr } = await audit(['--runs', '4', '--baseline', before, '--json', after, url]);
    const { comparison } = JSON.parse(readFileSync(after, 'utf8'));
    assert.equal(code, comparison.counts.regressed ? 1 : 0, stderr);
    assert.match(stdout, new RegExp(`^against the baseline ${before.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.ok(comparison.comparisons.every((c) => c.url === url && c.base.n > 0));
    const few = await audit(['--runs', '2', '--baseline', before, url]);
    assert.equal(few.code, 2);
    assert.match(few.stderr.trim().split('\n').at(-1), /too few runs for any verdict/);
  });

  test('firefox, with an interaction script for INP', async () => {
    const script = join(dir, 'interact.mjs');
    writeFileSync(script, "export default async (page) => { await page.click('#slow-click'); };\n");
    const { code, stdout, stderr } = await audit(['--browser', 'firefox', '--interactions', script, `${server.url}/input.html`]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /INP\s+\d+ ms/);
    assert.match(stdout, /CLS\s+-\s+unsupported in this browser/);
  });
});
