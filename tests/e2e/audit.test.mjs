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
    assert.match(last, /^audit: cannot load http:\/\/127\.0\.0\.1:\d+\/unreachable: .*ERR_CONNECTION_REFUSED/);
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
    assert.match(stderr.trim().split('\n').at(-1), /^audit: cannot start chromium: Chromium not found: run scripts\/setup$/);
    assert.match(JSON.parse(readFileSync(json, 'utf8')).results[0].error, /Chromium not found/);
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
