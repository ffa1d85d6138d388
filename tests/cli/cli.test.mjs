// The `pagevitals` command's verbs that need no browser (check, merge, schema), run as users
// run them (`node bin/pagevitals.mjs ...`), on the files in tests/data/cli: exit status, one-line
// errors naming the file, text and JSON outputs. The audit itself and sharding against a real
// browser: tests/e2e/audit.test.mjs and tests/e2e/package.test.mjs.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import Ajv2020 from 'ajv/dist/2020.js';

import { analyzeLog } from '../../headless/index.mjs';
import { mergeResults, pageResult, resultFile, shardOf } from '../../scripts/lib/result.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/pagevitals.mjs');
const data = (name) => join(ROOT, 'tests/data/cli', name);

function pagevitals(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

const LOG = JSON.parse(readFileSync(data('basic.chromium.log.json'), 'utf8'));

describe('pagevitals check', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pv-cli-'));
  });

  test('a met budget exits 0 and says what was not measurable', async () => {
    const { code, stdout, stderr } = await pagevitals(['check', data('basic.chromium.log.json'), '--budget', data('pass.budget.json')]);
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /PASS {3}timings largest-contentful-paint/);
    assert.match(stdout, /N\/A {4}timings speed-index/);
    assert.match(stdout, /cannot be measured in the field/);
  });

  test('warnings alone exit 0', async () => {
    const { code, stdout } = await pagevitals(['check', data('basic.chromium.log.json'), '--budget', data('warn.budget.json')]);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /WARN {3}timings first-contentful-paint/);
  });

  test('a failed budget exits 1 and --json has every result', async () => {
    const { code, stdout } = await pagevitals(['check', data('basic.chromium.log.json'), '--budget', data('fail.budget.json'), '--json']);
    assert.equal(code, 1);
    const out = JSON.parse(stdout);
    assert.equal(out.schema, 'pagevitals-check');
    assert.equal(out.status, 'fail');
    const results = out.pages[0].evaluation.groups[0].results;
    assert.equal(results[0].status, 'fail');
    assert.ok(results[0].over > 0);
    assert.equal(results[1].status, 'warn');
  });

  test('a saved report reads back and checks like its log', async () => {
    const saved = join(dir, 'basic.report.json');
    writeFileSync(saved, JSON.stringify(analyzeLog(LOG)));
    const fromReport = await pagevitals(['check', saved, '--budget', data('fail.budget.json'), '--json']);
    const fromLog = await pagevitals(['check', data('basic.chromium.log.json'), '--budget', data('fail.budget.json'), '--json']);
    assert.equal(fromReport.code, 1);
    assert.equal(fromReport.stdout, fromLog.stdout);
  });

  test('a result file is checked URL by URL, as the audit checks it', async () => {
    const report = analyzeLog(LOG);
    const other = { ...report, page: { ...report.page, url: 'http://127.0.0.1/other.html' } };
    const file = join(dir, 'two-urls.json');
    writeFileSync(file, JSON.stringify(resultFile('pagevitals audit', [pageResult(report.page.url, 'cold', [report, report], null), pageResult(other.page.url, 'cold', [other], null)], { browser: 'chromium', cache: 'cold' })));
    const { code, stdout } = await pagevitals(['check', file, '--budget', data('fail.budget.json'), '--json']);
    assert.equal(code, 1);
    const out = JSON.parse(stdout);
    assert.deepEqual(out.pages.map((p) => [p.url, p.runs]), [[report.page.url, 2], [other.page.url, 1]]);
  });

  test('cold and warm runs are never checked together', async () => {
    const report = analyzeLog(LOG);
    const write = (name, run) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ ...report, run }));
      return path;
    };
    const cold = write('cold.json', { cache: 'cold', index: 1 });
    const warm = write('warm.json', { cache: 'warm', index: 1 });
    const mixed = await pagevitals(['check', cold, warm, '--budget', data('pass.budget.json')]);
    assert.equal(mixed.code, 2);
    assert.equal(mixed.stderr.trim().split('\n').length, 1, mixed.stderr);
    assert.match(mixed.stderr, /^pagevitals check: the reports mix cold and warm runs/);
    const alike = await pagevitals(['check', cold, cold, '--budget', data('pass.budget.json')]);
    assert.equal(alike.code, 0, alike.stderr);
  });

  test('bad input exits 2 with one line naming the file', async () => {
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{\n  "schema": "pagevitals-report",\n  "version": 1,,\n}');
    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ schema: 'pagevitals-result', version: 2, results: [] }));
    for (const [files, budget, expected] of [
      [[data('basic.chromium.log.json')], join(ROOT, 'tests/data/budgets/invalid/metric-alias.json'), /metric-alias\.json:4:19: \/0\/timings\/0\/metric: expected one of/],
      [[data('broken.report.json')], data('pass.budget.json'), /broken\.report\.json: not a valid report/],
      [[data('pass.budget.json')], data('pass.budget.json'), /pass\.budget\.json: neither a result .*, a report .* nor an entry log/],
      [[data('missing.json')], data('pass.budget.json'), /missing\.json: cannot read: ENOENT/],
      [[notJson], data('pass.budget.json'), /broken\.json:3:16: not JSON/],
      [[newer], data('pass.budget.json'), /newer\.json: result version 2, this pagevitals reads version 1/],
    ]) {
      const { code, stdout, stderr } = await pagevitals(['check', ...files, '--budget', budget]);
      assert.equal(code, 2, stderr);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, /^pagevitals check: /);
      assert.match(stderr, expected);
      assert.equal(stdout, '');
    }
  });

  test('usage errors exit 2 and say where the usage is; --help exits 0', async () => {
    const noBudget = await pagevitals(['check', data('pass.budget.json')]);
    assert.equal(noBudget.code, 2);
    assert.match(noBudget.stderr, /--budget FILE is needed .*\(pagevitals check --help for usage\)$/m);
    const help = await pagevitals(['check', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: pagevitals check FILE\.\.\. --budget FILE \[--json\]/);
  });
});

describe('pagevitals merge', () => {
  const report = analyzeLog(LOG);
  const at = (url, index) => ({ ...report, page: { ...report.page, url }, run: { cache: 'cold', index } });
  const urls = ['http://a.test/1', 'http://a.test/2', 'http://a.test/3', 'http://a.test/4', 'http://a.test/5'];
  /** The result file an audit of `list` would write: two runs per URL. */
  const audited = (list, extra) =>
    resultFile('pagevitals audit', list.map((u) => pageResult(u, 'cold', [at(u, 1), at(u, 2)], null)), { browser: 'chromium', browserVersion: '1', runsPerUrl: 2, cache: 'cold', budget: null, ...extra });
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pv-merge-'));
  });

  test('shards are stable, disjoint slices that together are the list', () => {
    const total = 3;
    const slices = [1, 2, 3].map((index) => shardOf(urls, { index, total }));
    assert.deepEqual(slices, [['http://a.test/1', 'http://a.test/4'], ['http://a.test/2', 'http://a.test/5'], ['http://a.test/3']]);
    assert.deepEqual(slices.flat().sort(), [...urls].sort());
    assert.deepEqual(shardOf(urls, { index: 2, total }), slices[1], 'the same slice every time');
  });

  test('merging every shard gives what one machine would have written', async () => {
    const files = [1, 2].map((index) => {
      const path = join(dir, `shard-${index}.json`);
      writeFileSync(path, JSON.stringify(audited(shardOf(urls, { index, total: 2 }), { urls, shard: { index, total: 2 } })));
      return path;
    });
    const out = join(dir, 'merged.json');
    const { code, stderr } = await pagevitals(['merge', files[1], files[0], '--json', out]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /merged 2 files: 5 URLs, 10 runs; wrote /);
    const merged = JSON.parse(readFileSync(out, 'utf8'));
    // As written to a file (where -0 reads back as 0).
    const whole = JSON.parse(JSON.stringify(audited(urls)));
    assert.equal(merged.schema, 'pagevitals-result');
    assert.deepEqual(merged.results.map((r) => r.url), urls, 'in the audited order');
    for (const [i, r] of merged.results.entries()) {
      const { url, runs, summary, recommendations, reports, cache } = whole.results[i];
      assert.deepEqual({ url: r.url, runs: r.runs, summary: r.summary, recommendations: r.recommendations, reports: r.reports, cache: r.cache }, { url, runs, summary, recommendations, reports, cache });
    }
    const checked = await pagevitals(['check', out, '--budget', data('pass.budget.json'), '--json']);
    assert.equal(JSON.parse(checked.stdout).pages.length, 5, 'budgets are checked on the merged file');
  });

  test('a missing or repeated shard, or results that do not go together, are refused', () => {
    const shard = (index, total, extra = {}) => ({ path: `s${index}.json`, file: audited(shardOf(urls, { index, total }), { urls, shard: { index, total }, ...extra }) });
    assert.throws(() => mergeResults([shard(1, 3), shard(3, 3)]), /^Error: shard 2\/3 missing/);
    assert.throws(() => mergeResults([shard(1, 2), shard(1, 2)]), /s1\.json: shard 1\/2 is also s1\.json/);
    assert.throws(() => mergeResults([shard(1, 2), shard(2, 2, { browser: 'firefox' })]), /s2\.json: browser firefox, but s1\.json has chromium/);
    assert.throws(() => mergeResults([shard(1, 2), shard(2, 2, { cache: 'warm' })]), /results of different cache states do not merge/);
  });

  test('a report is not a result file', async () => {
    const { code, stderr } = await pagevitals(['merge', data('basic.chromium.log.json'), '--json', join(dir, 'x.json')]);
    assert.equal(code, 2);
    assert.match(stderr, /^pagevitals merge: .*basic\.chromium\.log\.json: a report, not a result file/);
  });
});

describe('pagevitals', () => {
  test('schema prints each JSON Schema', async () => {
    for (const which of ['report', 'result', 'budget']) {
      const { code, stdout } = await pagevitals(['schema', which]);
      assert.equal(code, 0);
      assert.equal(stdout, readFileSync(join(ROOT, `schemas/${which}.schema.json`), 'utf8'));
    }
    const bad = await pagevitals(['schema', 'nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^pagevitals schema: which schema: report, result or budget, not 'nope'/);
  });

  test('every verb has --help; no verb, or an unknown one, is a usage error', async () => {
    for (const verb of ['audit', 'check', 'merge', 'schema']) {
      const { code, stdout } = await pagevitals([verb, '--help']);
      assert.equal(code, 0, verb);
      assert.match(stdout, new RegExp(`^usage: pagevitals ${verb}`), verb);
    }
    const none = await pagevitals([]);
    assert.equal(none.code, 2);
    assert.match(none.stdout, /^usage: pagevitals <command>/);
    const unknown = await pagevitals(['compare']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^pagevitals: unknown command 'compare'/);
  });
});

describe('JSON Schemas, checked with Ajv (draft 2020-12)', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const schema = (which) => JSON.parse(readFileSync(join(ROOT, `schemas/${which}.schema.json`), 'utf8'));

  test('the budget schema takes the extended budgets the engine takes, and refuses what it refuses', () => {
    const budget = ajv.compile(schema('budget'));
    for (const file of ['tests/data/budgets/extended.json', 'tests/data/cli/warn.budget.json']) {
      assert.ok(budget(JSON.parse(readFileSync(join(ROOT, file), 'utf8'))), `${file}: ${ajv.errorsText(budget.errors)}`);
    }
    assert.equal(budget(JSON.parse(readFileSync(join(ROOT, 'tests/data/budgets/invalid/bad-aggregate.json'), 'utf8'))), false);
    assert.match(ajv.errorsText(budget.errors), /aggregate/);
  });

  test('every schema has a versioned id under pagevitals.dev', () => {
    for (const which of ['report', 'result', 'budget']) {
      assert.equal(schema(which).$id, `https://pagevitals.dev/schemas/${which}.schema.json`);
      assert.equal(schema(which).$schema, 'https://json-schema.org/draft/2020-12/schema');
    }
  });
});
