// The result file (schema `pagevitals-result`, version 1; schemas/result.schema.json): what
// `pagevitals audit --json` and the Playwright reporter write, and what `check`, `merge` (and
// later verbs) read. One entry per URL with its runs' reports, the median, p75 and spread of
// each metric, the representative run's recommendations, and the budget evaluation when one
// was given. Also reads a single report or an entry log, as runs of their page.
//
// Every error is an `InputError` whose message is one line naming the file and, for bad JSON,
// the line and column.
import { readFileSync } from 'node:fs';

import { checkBudget, readReport } from '../../headless/index.mjs';

export const RESULT_SCHEMA = 'pagevitals-result';
export const RESULT_VERSION = 1;
/** What result files were called before the `pagevitals` command: the same shape, read alike. */
const OLD_RESULT_SCHEMA = 'pagevitals-audit';

export const METRIC_ORDER = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'];

/** Bad input: exit 2 with this one line. */
export class InputError extends Error {}

/** Bad arguments: exit 2 with this one line and where the usage is. */
export class UsageError extends InputError {}

/**
 * Runs a verb's `run(argv)` and gives its exit status: what it returned, or 2 for a thrown
 * error, printed as one line (with where the usage is, for bad arguments).
 */
export async function runVerb(verb, run, argv) {
  try {
    return await run(argv);
  } catch (error) {
    const usage = error instanceof UsageError ? ` (pagevitals ${verb} --help for usage)` : '';
    console.error(`pagevitals ${verb}: ${error.message.split('\n')[0]}${usage}`);
    return 2;
  }
}

/** Median and p75 by nearest rank, as the budget evaluation aggregates, and the spread. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return { n: sorted.length, median: rank(0.5), p75: rank(0.75), min: sorted[0], max: sorted.at(-1) };
}

/** The run whose LCP (else FCP) is the median: its recommendations represent the page. */
export function medianRun(reports) {
  const key = (r) => r.metrics.LCP?.value ?? r.metrics.FCP?.value ?? 0;
  const sorted = [...reports].sort((a, b) => key(a) - key(b));
  return sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)];
}

/**
 * One URL's entry: its runs' reports, their summary, the representative run's findings, and
 * the budget evaluation (`budget`: `{name, text}`, or null for none; `baseline`: earlier runs
 * for its `regressions` items). Everything but `url`,
 * `cache`, `error` and `reports` is derived, so merging recomputes it.
 */
export function pageResult(url, cache, reports, budget, error = null, baseline = []) {
  const summary = {};
  for (const name of METRIC_ORDER) {
    const values = reports.map((r) => r.metrics[name]?.value).filter((v) => v !== undefined);
    if (values.length) summary[name] = summarize(values);
  }
  const evaluation = budget && reports.length ? checkBudget(reports, budget.text, budget.name, { baseline }) : null;
  const representative = reports.length ? medianRun(reports) : null;
  return {
    url,
    cache,
    runs: reports.length,
    error: error ?? null,
    summary,
    unsupportedEntryTypes: representative?.unsupportedEntryTypes ?? [],
    verdict: representative?.score?.field ?? null,
    recommendations: representative?.recommendations ?? [],
    evaluation,
    reports,
  };
}

/** A result file's top level. `extra`: browser, runs per URL, cache state, shard, ... */
export function resultFile(tool, results, extra = {}) {
  return { schema: RESULT_SCHEMA, version: RESULT_VERSION, tool, ...extra, results };
}

/** `I/N` with 1 <= I <= N: which slice of the URLs this machine audits. */
export function parseShard(text) {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? '');
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new UsageError(`--shard must be I/N with 1 <= I <= N (say 1/3), not '${text}'`);
  }
  return { index, total };
}

/**
 * The URLs shard `index` of `total` audits: every `total`-th URL of the list, from the
 * `index`-th. The same list gives the same slice on every machine, the slices never overlap,
 * and together they are the list; their sizes differ by at most one.
 */
export function shardOf(urls, { index, total }) {
  return urls.filter((_, i) => i % total === index - 1);
}

/** `text` parsed as JSON, or an InputError naming `name`, line and column. */
export function parseJson(name, text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec(error.message);
    if (!at) throw new InputError(`${name}: not JSON: ${error.message}`);
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = Number(at[1]) - before.lastIndexOf('\n');
    throw new InputError(`${name}:${line}:${column}: not JSON: ${error.message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

/**
 * Reads one input file: a result file (`{kind: 'result', file}`), or a report or an entry log
 * (`{kind: 'report', report}`). Throws an InputError naming the file.
 */
export function readInput(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`${path}: cannot read: ${error.code ?? error.message}`);
  }
  const value = parseJson(path, text);
  if (value && typeof value === 'object' && [RESULT_SCHEMA, OLD_RESULT_SCHEMA].includes(value.schema)) {
    if (value.version !== RESULT_VERSION) {
      throw new InputError(`${path}: result version ${value.version ?? 'missing'}, this pagevitals reads version ${RESULT_VERSION}`);
    }
    if (!Array.isArray(value.results)) throw new InputError(`${path}: /results: expected a list of URL results`);
    value.results.forEach((r, i) => {
      if (!r || typeof r !== 'object' || !Array.isArray(r.reports)) {
        throw new InputError(`${path}: /results/${i}/reports: expected a list of reports`);
      }
    });
    return { kind: 'result', file: value };
  }
  const out = readReport(text);
  if (out.error) throw new InputError(`${path}: ${out.error.message}`);
  return { kind: 'report', report: out.report };
}

/**
 * Joins result files (shards of one audit, or the runs of several machines) into one: the
 * reports of each URL together, in the order of the audited list where the files carry it
 * (shards do), its summary and findings recomputed from them. Refuses files that cannot
 * describe one audit: different browsers or cache states, shards of different lists, a shard
 * given twice or missing.
 */
export function mergeResults(inputs) {
  if (!inputs.length) throw new InputError('nothing to merge');
  const first = inputs[0].file;
  for (const { path, file } of inputs) {
    for (const key of ['browser', 'cache']) {
      if ((file[key] ?? null) !== (first[key] ?? null)) {
        throw new InputError(`${path}: ${key} ${file[key] ?? 'unknown'}, but ${inputs[0].path} has ${first[key] ?? 'unknown'}: results of different ${key === 'cache' ? 'cache states' : 'browsers'} do not merge`);
      }
    }
  }
  const shards = inputs.filter(({ file }) => file.shard);
  let order = null;
  if (shards.length) {
    const total = shards[0].file.shard.total;
    const list = JSON.stringify(shards[0].file.urls ?? null);
    const seen = new Map();
    for (const { path, file } of shards) {
      if (file.shard.total !== total || JSON.stringify(file.urls ?? null) !== list) {
        throw new InputError(`${path}: shard ${file.shard.index}/${file.shard.total} of a different URL list than ${shards[0].path}`);
      }
      if (seen.has(file.shard.index)) throw new InputError(`${path}: shard ${file.shard.index}/${total} is also ${seen.get(file.shard.index)}`);
      seen.set(file.shard.index, path);
    }
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length) throw new InputError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${total}`).join(', ')} missing: merge every shard of the audit`);
    order = shards[0].file.urls ?? null;
  }
  const byUrl = new Map();
  for (const { file } of inputs) {
    for (const r of file.results) {
      const key = r.url ?? null;
      const entry = byUrl.get(key) ?? { reports: [], errors: [], tests: [] };
      entry.reports.push(...r.reports);
      if (r.error) entry.errors.push(r.error);
      if (r.tests) entry.tests.push(...r.tests);
      byUrl.set(key, entry);
    }
  }
  const keys = [...byUrl.keys()];
  if (order) keys.sort((a, b) => rank(order, a) - rank(order, b));
  const results = keys.map((url) => {
    const { reports, errors, tests } = byUrl.get(url);
    const result = pageResult(url, first.cache ?? null, reports, null, errors[0] ?? null);
    return tests.length ? { ...result, tests } : result;
  });
  const extra = {};
  for (const key of ['browser', 'browserVersion', 'runsPerUrl', 'cache']) if (first[key] !== undefined) extra[key] = first[key];
  if (order) extra.urls = order;
  extra.budget = null;
  extra.merged = inputs.map(({ path, file }) => ({ file: path, ...(file.shard && { shard: file.shard }) }));
  return resultFile('pagevitals merge', results, extra);
}

const rank = (order, url) => {
  const i = order.indexOf(url);
  return i === -1 ? order.length : i;
};
