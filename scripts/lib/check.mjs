// `pagevitals check FILE... --budget FILE [--json]`: result files (each URL's runs checked on
// their own, as the audit checks them), reports or entry logs (together, as runs of their
// pages) against a Lighthouse budget.json or a PageVitals budget. Exit 0 every budget met
// (warnings pass), 1 a budget failed, 2 bad input (one line naming the file).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { checkBudget } from '../../headless/index.mjs';
import { pagesOf } from './compare.mjs';
import { InputError, readInput, UsageError } from './result.mjs';

export const USAGE = `usage: pagevitals check FILE... --budget FILE [--json]
Checks runs against a budget. Each FILE is a result file (pagevitals audit --json, merge, the
Playwright reporter: each URL's runs are checked on their own), a report, or an entry log
(reports and logs are checked together, as runs of their pages).
  --budget FILE   Lighthouse budget.json or PageVitals budget; 'default' for the built-in one
                  (every Core Web Vital good)
  --baseline FILE earlier runs (a result file) for the budget's regressions items
  --json          print the evaluations as JSON (schema pagevitals-check) instead of text
Exit status: 0 every budget met (warnings pass), 1 a budget failed, 2 bad input.`;

/** The budget's text and name, read and validated; an InputError names the position. */
export function loadBudget(option) {
  if (option === undefined) return null;
  if (option === 'default') return { name: 'built-in', text: '' };
  let text;
  try {
    text = readFileSync(option, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read budget ${option}: ${error.code ?? error.message}`);
  }
  try {
    checkBudget([], text, option);
  } catch (error) {
    throw new InputError(error.message.replace(/^PageVitals: /, 'bad budget: '));
  }
  return { name: option, text };
}

const UNITS = {
  ms: (v) => `${v.toFixed(0)} ms`,
  kiB: (v) => `${v.toFixed(1)} KiB`,
  count: (v) => v.toFixed(0),
  unitless: (v) => v.toFixed(3),
  score: (v) => (v * 100).toFixed(0),
  percent: (v) => `${v.toFixed(1)} %`,
};
const LABELS = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', notMeasurable: 'N/A', unsupported: 'UNSUPP' };

/** One budget item as a line (and its subject and note below it). */
function itemLines(r) {
  const unit = UNITS[r.unit] ?? String;
  const relation = r.unit === 'score' ? '>=' : '<=';
  const value =
    r.measured === null || r.measured === undefined
      ? `limit ${relation} ${unit(r.limit)}`
      : `${unit(r.measured)}${r.estimated ? ' (estimated)' : ''}, limit ${relation} ${unit(r.limit)}${r.over ? `, over by ${unit(r.over)}` : ''}`;
  const lines = [`  ${LABELS[r.status].padEnd(6)} ${r.name}: ${value}  [${r.pointer}]`];
  if (r.subject) lines.push(`         ${r.subject}`);
  if (r.note) lines.push(`         ${r.note}`);
  return lines;
}

/** An evaluation as text: one block per applied budget, one line per item, then the counts. */
export function describeCheck(e) {
  const out = [`${e.file} (${e.format} budget, ${e.aggregate} of runs)`];
  for (const g of e.groups) {
    out.push('', `${g.budget} ${g.path ?? 'every page'}: ${g.runs} run(s) of ${g.urls.join(', ')}`);
    for (const r of g.results) out.push(...itemLines(r));
  }
  for (const url of e.unmatched ?? []) out.push('', `no budget's path matches ${url}`);
  const count = (s) => e.groups.flatMap((g) => g.results).filter((r) => r.status === s).length;
  out.push(
    '',
    `${LABELS[e.status]}: ${count('fail')} failed, ${count('warn')} warned, ${count('pass')} passed, ${count('notMeasurable')} not measurable, ${count('unsupported')} unsupported`,
  );
  return out.join('\n');
}

export async function run(argv) {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { budget: { type: 'string' }, baseline: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.positionals.length) throw new UsageError('no file to check');
  if (args.values.budget === undefined) throw new UsageError('--budget FILE is needed (or --budget default)');
  const budget = loadBudget(args.values.budget);
  const pages = [];
  const loose = [];
  for (const path of args.positionals) {
    const input = readInput(path);
    if (input.kind === 'report') {
      loose.push(input.report);
      continue;
    }
    for (const r of input.file.results) {
      if (r.reports.length) pages.push({ url: r.url, reports: r.reports });
    }
  }
  if (loose.length) pages.push({ url: null, reports: loose });
  const before = args.values.baseline === undefined ? null : pagesOf(args.values.baseline);
  const baselineOf = (url, reports) => {
    if (!before) return [];
    if (url !== null) return before.pages.get(url) ?? [];
    return reports.flatMap((r) => before.pages.get(r.page.url) ?? []);
  };
  const checked = pages.map(({ url, reports }) => {
    try {
      return { url, runs: reports.length, evaluation: checkBudget(reports, budget.text, budget.name, { baseline: baselineOf(url, reports) }) };
    } catch (error) {
      throw new InputError(error.message.replace(/^PageVitals: (reports: )?/, ''));
    }
  });
  const status = checked.some((c) => c.evaluation.status === 'fail') ? 'fail' : checked.some((c) => c.evaluation.status === 'warn') ? 'warn' : 'pass';
  if (args.values.json) {
    console.log(JSON.stringify({ schema: 'pagevitals-check', version: 1, budget: budget.name, status, pages: checked }, null, 2));
  } else {
    console.log(checked.map((c) => `${c.url ? `${c.url}\n` : ''}${describeCheck(c.evaluation)}`).join('\n\n'));
  }
  return status === 'fail' ? 1 : 0;
}
