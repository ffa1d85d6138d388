// The `pagevitals` npm package as a user gets it: `npm pack` in the repository, the tarball
// installed into a fresh scratch project outside it (with no Rust toolchain on the PATH), and
// every command run from there with `npx`: an audit, two shards merged against one unsharded
// audit of the same URLs, a budget check of the merged file, and the Playwright reporter over
// real `@playwright/test` shards joined by `merge-reports`. The outputs are validated against
// the package's JSON Schemas with Ajv (draft 2020-12), and the package's built extension and
// engine are checked to be the very files the other suites load from dist/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import Ajv2020 from 'ajv/dist/2020.js';

import { ROOT } from '../../scripts/lib/browsers.mjs';
import { serve } from '../../scripts/lib/server.mjs';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function sh(file, args, { cwd, env = {}, timeout = 300_000 } = {}) {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout, maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 'killed') : 0, stdout, stderr });
    });
  });
}

/** The PATH without any Rust toolchain directory: the package needs none. */
const PATH_WITHOUT_RUST = process.env.PATH.split(':').filter((dir) => !/cargo|rustup/.test(dir)).join(':');

const json = (path) => JSON.parse(readFileSync(path, 'utf8'));

function files(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

const sha = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the pagevitals package, installed from its tarball', () => {
  let server;
  let scratch;
  let validate;
  /** `npx pagevitals ...` (or another bin) in the scratch project. */
  const npx = (args, env = {}) => sh('npx', ['--no-install', ...args], { cwd: scratch, env: { PATH: PATH_WITHOUT_RUST, CARGO_HOME: join(scratch, 'no-cargo'), RUSTUP_HOME: join(scratch, 'no-rustup'), ...env } });

  before(async () => {
    server = await serve(join(ROOT, 'tests/sites/fixtures'));
    scratch = mkdtempSync(join(tmpdir(), 'pv-package-'));
    const packed = await sh('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: ROOT });
    assert.equal(packed.code, 0, packed.stderr);
    const [{ filename }] = JSON.parse(packed.stdout);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    const installed = await sh(
      'npm',
      ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', `./${filename}`, `@playwright/test@${pkg.devDependencies['@playwright/test']}`],
      { cwd: scratch, env: { PATH: PATH_WITHOUT_RUST } },
    );
    assert.equal(installed.code, 0, installed.stderr);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    // The numeric formats schemars writes for Rust's number types.
    const whole = (min, max) => ({ type: 'number', validate: (x) => Number.isInteger(x) && x >= min && x <= max });
    ajv.addFormat('double', { type: 'number', validate: Number.isFinite });
    ajv.addFormat('uint', whole(0, Number.MAX_SAFE_INTEGER));
    ajv.addFormat('uint32', whole(0, 2 ** 32 - 1));
    ajv.addFormat('uint64', whole(0, Number.MAX_SAFE_INTEGER));
    ajv.addFormat('int64', whole(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    const ids = {};
    for (const which of ['report', 'result', 'budget']) {
      const schema = json(join(scratch, `node_modules/pagevitals/schemas/${which}.schema.json`));
      ajv.addSchema(schema);
      ids[which] = schema.$id;
    }
    validate = (which, value) => {
      const check = ajv.getSchema(ids[which]);
      assert.ok(check(value), `${which}: ${ajv.errorsText(check.errors)}`);
    };
  });
  after(async () => server?.close());

  test('ships the built extension and engine the other suites load, and no Rust source', () => {
    const installed = join(scratch, 'node_modules/pagevitals');
    for (const dir of ['dist/chromium', 'dist/firefox', 'dist/headless']) {
      const ours = files(join(ROOT, dir)).map((f) => relative(ROOT, f)).sort();
      const theirs = files(join(installed, dir)).map((f) => relative(installed, f)).sort();
      assert.deepEqual(theirs, ours, dir);
      for (const file of ours) assert.equal(sha(join(installed, file)), sha(join(ROOT, file)), file);
    }
    for (const zip of ['dist/pagevitals-chromium.zip', 'dist/pagevitals-firefox.zip']) assert.equal(sha(join(installed, zip)), sha(join(ROOT, zip)));
    assert.ok(!files(installed).some((f) => f.endsWith('.rs') || f.includes('/crates/')), 'no Rust in the package');
  });

  test('npx pagevitals audit URL measures a page and writes a valid result file', async () => {
    const version = await npx(['pagevitals', '--version']);
    assert.equal(version.stdout.trim(), pkg.version);
    const out = join(scratch, 'one.json');
    const { code, stdout, stderr } = await npx(['pagevitals', 'audit', '--json', out, `${server.url}/basic.html?package`]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^LCP +\d+ ms/m);
    const result = json(out);
    validate('result', result);
    assert.equal(result.results[0].runs, 1);
    validate('report', result.results[0].reports[0]);
  });

  test('two shards merged equal one unsharded audit of the same URLs (structure, not timings)', async () => {
    const urls = ['basic.html?s1', 'headers.html?s2', 'basic.html?s3'].map((path) => `${server.url}/${path}`);
    const runs = ['--runs', '2'];
    const [one, two] = [1, 2].map((i) => join(scratch, `shard-${i}.json`));
    const whole = join(scratch, 'whole.json');
    const merged = join(scratch, 'merged.json');
    for (const [args, file] of [[['--shard', '1/2'], one], [['--shard', '2/2'], two], [[], whole]]) {
      const { code, stderr } = await npx(['pagevitals', 'audit', ...runs, ...args, '--json', file, ...urls]);
      assert.equal(code, 0, stderr);
      validate('result', json(file));
    }
    assert.deepEqual(json(one).results.map((r) => r.url), [urls[0], urls[2]], 'shard 1/2: every second URL from the first');
    assert.deepEqual(json(two).results.map((r) => r.url), [urls[1]]);
    const m = await npx(['pagevitals', 'merge', two, one, '--json', merged]);
    assert.equal(m.code, 0, m.stderr);
    const a = json(merged);
    const b = json(whole);
    validate('result', a);
    const shape = (file) => ({
      urls: file.results.map((r) => r.url),
      runs: file.results.map((r) => r.runs),
      metrics: file.results.map((r) => Object.fromEntries(Object.entries(r.summary).map(([k, s]) => [k, s.n]))),
      cache: file.results.map((r) => r.reports.map((x) => x.run)),
      browser: file.browser,
    });
    assert.deepEqual(shape(a), shape(b));
    for (const r of a.results) {
      const values = r.reports.map((x) => x.metrics.FCP.value).sort((p, q) => p - q);
      assert.equal(r.summary.FCP.min, values[0], 'the merged summary is computed from the merged runs');
      assert.equal(r.summary.FCP.max, values.at(-1));
    }
    const checked = await npx(['pagevitals', 'check', merged, '--budget', join(ROOT, 'tests/data/cli/pass.budget.json'), '--json']);
    assert.equal(checked.code, 0, checked.stderr);
    assert.deepEqual(JSON.parse(checked.stdout).pages.map((p) => p.url), urls);
  });

  test('pagevitals/reporter collects every test’s report across Playwright shards and merge-reports', async () => {
    writeFileSync(
      join(scratch, 'playwright.config.mjs'),
      `export default {
  testDir: 'pw',
  workers: 1,
  use: { browserName: 'chromium', launchOptions: { executablePath: ${JSON.stringify(process.env.PAGEVITALS_CHROMIUM ?? '/usr/bin/chromium')}, args: ['--no-sandbox', '--disable-gpu'] } },
};
`,
    );
    mkdirSync(join(scratch, 'pw'), { recursive: true });
    writeFileSync(
      join(scratch, 'pw/pages.spec.mjs'),
      `import { test } from '@playwright/test';
import { attach, attachReport } from 'pagevitals/playwright';

for (const name of ['a', 'b', 'c', 'd']) {
  test(\`page \${name}\`, async ({ context }, testInfo) => {
    const session = await attach(context);
    const page = await context.newPage();
    await page.goto(\`\${process.env.PV_BASE}/basic.html?reporter-\${name}\`);
    await attachReport(testInfo, await session.finish(page));
  });
}
`,
    );
    const env = { PV_BASE: server.url };
    const blobs = join(scratch, 'blobs');
    mkdirSync(blobs);
    for (const shard of ['1/2', '2/2']) {
      const dir = join(scratch, `blob-${shard[0]}`);
      const run = await npx(['playwright', 'test', `--shard=${shard}`, '--reporter=blob'], { ...env, PLAYWRIGHT_BLOB_OUTPUT_DIR: dir });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      for (const zip of readdirSync(dir)) copyFileSync(join(dir, zip), join(blobs, zip));
    }
    assert.equal(readdirSync(blobs).length, 2, 'a blob report per shard');
    const merged = join(scratch, 'pw-merged.json');
    const m = await npx(['playwright', 'merge-reports', '--reporter=pagevitals/reporter', blobs], { PAGEVITALS_RESULT: merged });
    assert.equal(m.code, 0, m.stdout + m.stderr);
    const whole = join(scratch, 'pw-whole.json');
    const w = await npx(['playwright', 'test', '--reporter=pagevitals/reporter'], { ...env, PAGEVITALS_RESULT: whole });
    assert.equal(w.code, 0, w.stdout + w.stderr);
    // Inject mode may lack a page's last batch (README), so which of LCP and CLS a run has can
    // differ between two runs of a test: compared are the URLs, runs and tests.
    const shape = (file) => file.results.map((r) => ({ url: r.url, runs: r.runs, tests: r.tests }));
    const a = json(merged);
    validate('result', a);
    assert.equal(a.tool, 'pagevitals reporter');
    assert.deepEqual(shape(a), shape(json(whole)));
    assert.deepEqual(
      a.results.map((r) => r.url),
      ['a', 'b', 'c', 'd'].map((name) => `${server.url}/basic.html?reporter-${name}`),
      'every test’s report, one URL each',
    );
    for (const r of a.results) assert.ok(r.summary.FCP && r.summary.TTFB, JSON.stringify(r.summary));
    const checked = await npx(['pagevitals', 'check', merged, '--budget', 'default']);
    assert.notEqual(checked.code, 2, checked.stderr);
  });
});
