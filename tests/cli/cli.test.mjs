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

import { analyzeLog, compareRuns, pagevitalsMatchers } from '../../headless/index.mjs';
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
    for (const verb of ['audit', 'check', 'merge', 'compare', 'schema']) {
      const { code, stdout } = await pagevitals([verb, '--help']);
      assert.equal(code, 0, verb);
      assert.match(stdout, new RegExp(`^usage: pagevitals ${verb}`), verb);
    }
    const none = await pagevitals([]);
    assert.equal(none.code, 2);
    assert.match(none.stdout, /^usage: pagevitals <command>/);
    const unknown = await pagevitals(['report']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^pagevitals: unknown command 'report'/);
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

describe('pagevitals compare', () => {
  const report = analyzeLog(LOG);
  /** Runs of one URL whose TTFB, LCP and FCP are the given base values plus `shift`. */
  const runs = (url, ttfbs, shift = 0, cache = 'cold') =>
    ttfbs.map((t, i) => {
      const r = structuredClone(report);
      r.page.url = url;
      r.metrics.TTFB.value = t + shift;
      r.metrics.FCP.value = 300 + t + shift;
      r.metrics.LCP.value = 600 + ((i * 37) % 50) + t + shift;
      r.run = { cache, index: i + 1 };
      return r;
    });
  const TTFB = [100, 104, 98, 110, 101, 97, 105, 99, 103, 102];
  let dir;
  const file = (name, pages, extra = {}) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(resultFile('pagevitals audit', pages.map(([url, reports]) => pageResult(url, reports[0].run.cache, reports, null)), { browser: 'chromium', cache: 'cold', ...extra })));
    return path;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pv-compare-'));
  });

  test('a document made 100 ms slower by its server regresses TTFB, FCP and LCP; the outputs say so', async () => {
    const base = file('base.json', [['http://x.test/', runs('http://x.test/', TTFB)], ['http://x.test/other', runs('http://x.test/other', TTFB)]]);
    const current = file('current.json', [['http://x.test/', runs('http://x.test/', TTFB, 100)], ['http://x.test/other', runs('http://x.test/other', TTFB)]]);
    const out = { json: join(dir, 'c.json'), markdown: join(dir, 'c.md'), junit: join(dir, 'c.xml') };
    const { code, stdout, stderr } = await pagevitals(['compare', base, current, '--json', out.json, '--markdown', out.markdown, '--junit', out.junit]);
    assert.equal(code, 1, stderr);
    assert.match(stdout, /^TTFB +\d+ ms -> \d+ ms +\+100 ms \[\+\d+ ms, \+\d+ ms\] +<0\.001 +1\.00 +REGRESSED$/m);
    assert.match(stdout, /^3 regressed, 0 improved, \d+ unchanged, \d+ inconclusive$/m);
    const written = JSON.parse(readFileSync(out.json, 'utf8'));
    const verdicts = Object.fromEntries(written.comparison.comparisons.filter((c) => c.url === 'http://x.test/').map((c) => [c.metric, c.verdict]));
    assert.deepEqual([verdicts.TTFB, verdicts.FCP, verdicts.LCP], ['regressed', 'regressed', 'regressed']);
    assert.ok(written.comparison.comparisons.filter((c) => c.url === 'http://x.test/other').every((c) => c.verdict === 'unchanged'));
    assert.equal(written.comparison.comparisons[0].verdict, 'regressed', 'regressions first');
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    for (const which of ['report', 'budget']) ajv.addSchema(JSON.parse(readFileSync(join(ROOT, `schemas/${which}.schema.json`), 'utf8')));
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/result.schema.json'), 'utf8')));
    assert.ok(validate(written), ajv.errorsText(validate.errors));
    const md = readFileSync(out.markdown, 'utf8');
    assert.match(md, /^### PageVitals: \*\*3 regressions\*\*$/m);
    assert.match(md, /^\| REGRESSED \| \/ \| TTFB \| \d+ ms → \d+ ms \| \+100 ms \[/m);
    const xml = readFileSync(out.junit, 'utf8');
    assert.equal((xml.match(/<failure /g) ?? []).length, 3);
    const warnOnly = await pagevitals(['compare', base, current, '--warn-only']);
    assert.equal(warnOnly.code, 0);
    const swapped = await pagevitals(['compare', current, base, '--json', join(dir, 'swapped.json')]);
    assert.equal(swapped.code, 0, 'the other way round it is an improvement');
    assert.match(swapped.stdout, /^TTFB .* improved/m);
  });

  test('budgets learn regressions: items against the baseline given to check', async () => {
    const base = file('rb.json', [['http://x.test/', runs('http://x.test/', TTFB)]]);
    const slower = file('rs.json', [['http://x.test/', runs('http://x.test/', TTFB, 30)]]);
    const budget = join(dir, 'regressions.json');
    writeFileSync(budget, JSON.stringify({ version: 1, budgets: [{ regressions: [{ metric: 'time-to-first-byte', maxIncreasePercent: 5 }, { metric: 'largest-contentful-paint', maxIncrease: 100, level: 'warn' }] }] }));
    const failed = await pagevitals(['check', slower, '--budget', budget, '--baseline', base]);
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout, /^ {2}FAIL {3}regressions time-to-first-byte \(percent\): 29\.\d %, limit <= 5\.0 %, over by 24\.\d %/m);
    assert.match(failed.stdout, /Mann-Whitney p 0\.000/);
    assert.match(failed.stdout, /^ {2}PASS {3}regressions largest-contentful-paint: 30 ms, limit <= 100 ms/m);
    const without = await pagevitals(['check', slower, '--budget', budget]);
    assert.equal(without.code, 0);
    assert.match(without.stdout, /N\/A {4}regressions time-to-first-byte[^\n]*\n *needs a baseline/);
  });

  test('the Playwright module: compareRuns and a matcher with a readable failure', () => {
    const base = runs('http://x.test/', TTFB);
    const slower = runs('http://x.test/', TTFB, 100);
    const comparison = compareRuns(base, slower);
    assert.equal(comparison.comparisons.find((c) => c.metric === 'TTFB').verdict, 'regressed');
    const failed = pagevitalsMatchers.toNotRegressFrom(slower, base);
    assert.equal(failed.pass, false);
    assert.match(failed.message(), /^PageVitals: the runs regressed from the baseline:\n/);
    assert.match(failed.message(), /^TTFB of http:\/\/x\.test\/ regressed: median 101 ms -> 201 ms \(\+100 ms, 95 % interval \d+ ms to \d+ ms\), p < 0\.001 after Holm, Cliff's delta 1\.00$/m);
    assert.equal(pagevitalsMatchers.toNotRegressFrom(base, base).pass, true);
    const asFiles = compareRuns({ results: [{ url: 'http://x.test/', reports: base }] }, { results: [{ url: 'http://x.test/', reports: slower }] });
    assert.deepEqual(asFiles, comparison, 'result files compare as their reports');
    assert.throws(() => compareRuns(base.slice(0, 2), slower.slice(0, 2)), /too few runs for any verdict/);
  });

  test('the same runs on both sides are never a regression', async () => {
    const same = file('same.json', [['http://x.test/', runs('http://x.test/', TTFB)]]);
    const { code, stdout } = await pagevitals(['compare', same, same]);
    assert.equal(code, 0);
    assert.match(stdout, /^0 regressed, 0 improved, \d+ unchanged, 0 inconclusive$/m);
  });

  test('runs that cannot be compared are bad input, in one line', async () => {
    const base = file('b.json', [['http://x.test/', runs('http://x.test/', TTFB)]]);
    const other = file('o.json', [['http://y.test/', runs('http://y.test/', TTFB)]]);
    const few = file('few.json', [['http://x.test/', runs('http://x.test/', TTFB.slice(0, 2))]]);
    const fewer = file('fewer.json', [['http://x.test/', runs('http://x.test/', TTFB.slice(2, 4))]]);
    const warm = file('warm.json', [['http://x.test/', runs('http://x.test/', TTFB, 0, 'warm')]], { cache: 'warm' });
    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ schema: 'pagevitals-result', version: 2, results: [] }));
    for (const [a, b, expected] of [
      [base, other, /no URL in common/],
      [few, fewer, /too few runs for any verdict: the test needs at least 4 runs on each side/],
      [base, warm, /the baseline's runs are cold and the current ones warm/],
      [base, newer, /newer\.json: result version 2, this pagevitals reads version 1/],
    ]) {
      const { code, stderr } = await pagevitals(['compare', a, b]);
      assert.equal(code, 2, stderr);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, expected);
    }
  });
});
