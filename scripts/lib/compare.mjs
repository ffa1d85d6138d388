// `pagevitals compare BASE.json CURRENT.json`: did this change make the page slower? Every URL
// in both files, metric by metric, with a noise-aware verdict (the core's compare.rs: Mann-
// Whitney U with Holm's adjustment, Cliff's delta, bootstrap intervals, Kolmogorov-Smirnov
// for a changed spread). Exit 0 no regression, 1 a regression, 2 bad input. `audit
// --baseline FILE` uses the same functions right after auditing.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { compareRuns } from '../../headless/index.mjs';
import { InputError, readInput, UsageError } from './result.mjs';

export const USAGE = `usage: pagevitals compare BASE.json CURRENT.json [options]
Compares every URL measured in both files (result files from pagevitals audit --json, merge or
the Playwright reporter; or single reports), metric by metric: LCP, INP, CLS, FCP, TTFB, Total
Blocking Time and transferred bytes. Verdicts: regressed, improved, unchanged, inconclusive
(with the runs per side that would likely decide it). A regression needs a Mann-Whitney U
p-value below alpha after Holm's adjustment over every comparison of the run, a Cliff's delta
of at least 0.33, and a change of the median above the metric's floor (LCP and FCP 50 ms, TTFB
25 ms, INP 16 ms, CLS 0.01, TBT 50 ms, bytes 1 KiB).
  --alpha A         significance level after the adjustment (default 0.05)
  --json FILE       write CURRENT's result file with the comparison added
  --markdown FILE   a compact table for a pull-request comment, regressions first
  --junit FILE      JUnit XML: a test case per comparison, failing when regressed
  --warn-only       print regressions but exit 0
Exit status: 0 no regression, 1 a regression, 2 bad input (different schema versions, no URL
in common, too few runs for any verdict).`;

/** `--alpha`: undefined (the default), or a significance level strictly between 0 and 1. */
export function parseAlpha(text) {
  if (text === undefined) return undefined;
  const alpha = Number(text);
  if (!(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha must be between 0 and 1, not '${text}'`);
  return alpha;
}

/** The pages of an input file: URL -> reports, in file order, and the file's cache state. */
export function pagesOf(path) {
  const input = readInput(path);
  if (input.kind === 'report') {
    return { cache: input.report.run?.cache ?? null, pages: new Map([[input.report.page.url, [input.report]]]) };
  }
  const pages = new Map();
  for (const r of input.file.results) {
    if (!r.url || !r.reports.length) continue;
    pages.set(r.url, [...(pages.get(r.url) ?? []), ...r.reports]);
  }
  return { cache: input.file.cache ?? null, pages, file: input.file };
}

/** Compares two inputs (from `pagesOf`); throws an InputError saying why they cannot be. */
export function compareInputs(base, current, { alpha } = {}) {
  if (base.cache && current.cache && base.cache !== current.cache) {
    throw new InputError(`the baseline's runs are ${base.cache} and the current ones ${current.cache}: compare runs of one cache state (audit --cache)`);
  }
  const pages = [...current.pages.keys()]
    .filter((url) => base.pages.has(url))
    .map((url) => ({ url, base: base.pages.get(url), current: current.pages.get(url) }));
  if (!pages.length) throw new InputError('no URL in common: the baseline measured other pages');
  try {
    return compareRuns(pages, alpha === undefined ? {} : { alpha });
  } catch (error) {
    throw new InputError(error.message.replace(/^PageVitals: /, ''));
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** A metric value as people read it, one way per unit. */
function value(c, v) {
  if (c.unit === 'bytes') return kb(v);
  if (c.unit === 'unitless') return v.toFixed(3);
  return `${Math.round(v)} ms`;
}

function signed(c, v) {
  const text = value(c, Math.abs(v));
  return `${v < 0 ? '-' : '+'}${text}`;
}

/** "+102 ms [+95 ms, +110 ms]". */
export function changeText(c) {
  const [lo, hi] = c.medianChangeInterval;
  return `${signed(c, c.medianChange)} [${signed(c, lo)}, ${signed(c, hi)}]`;
}

const pText = (p) => (p < 0.001 ? '<0.001' : p.toFixed(3));

/** The verdict in words, with what more runs would do for an inconclusive one. */
export function verdictText(c) {
  if (c.verdict === 'inconclusive') return c.runsToDecide ? `inconclusive (about ${c.runsToDecide} runs a side would decide)` : 'inconclusive (no trend)';
  return c.verdict === 'regressed' ? 'REGRESSED' : c.verdict;
}

/** Rows worth a line: every Core Web Vital and timing, and byte types that moved. */
const shown = (c) => !c.metric.startsWith('bytes:') || c.verdict !== 'unchanged';

/** The terminal table: per URL, baseline -> current, the change and its interval, the verdict. */
export function comparisonLines(comparison) {
  const out = [];
  const byUrl = new Map();
  for (const c of comparison.comparisons) byUrl.set(c.url, [...(byUrl.get(c.url) ?? []), c]);
  const { alpha } = comparison.options;
  out.push(`Mann-Whitney U, Holm's adjustment over ${comparison.family} comparison${comparison.family === 1 ? '' : 's'}, alpha ${alpha}; Cliff's delta; 95 % bootstrap intervals`);
  for (const [url, rows] of byUrl) {
    out.push('', url, `${'metric'.padEnd(16)}${'baseline -> current'.padStart(25)}  ${'change of the median [95 %]'.padEnd(36)}${'p adj.'.padStart(7)}${'delta'.padStart(7)}  verdict`);
    for (const c of rows.filter(shown)) {
      const runs = `${value(c, c.base.median)} -> ${value(c, c.current.median)}`;
      const warn = c.spreadChanged && c.verdict !== 'regressed' ? '; spread changed (KS)' : '';
      out.push(`${c.metric.padEnd(16)}${runs.padStart(25)}  ${changeText(c).padEnd(36)}${pText(c.adjustedPValue).padStart(7)}${c.cliffsDelta.toFixed(2).padStart(7)}  ${verdictText(c)}${warn}`);
    }
  }
  const n = (k) => comparison.counts[k] ?? 0;
  out.push('', `${n('regressed')} regressed, ${n('improved')} improved, ${n('unchanged')} unchanged, ${n('inconclusive')} inconclusive`);
  return out;
}

const md = (text) => String(text).replace(/[|\\]/g, (c) => `\\${c}`);

/** Markdown for a pull-request comment: counts, then a table of what moved, regressions first. */
export function comparisonMarkdown(comparison) {
  const n = (k) => comparison.counts[k] ?? 0;
  const lines = [
    `### PageVitals: ${n('regressed') ? `**${n('regressed')} regression${n('regressed') > 1 ? 's' : ''}**` : 'no regression'}`,
    '',
    `${n('regressed')} regressed, ${n('improved')} improved, ${n('unchanged')} unchanged, ${n('inconclusive')} inconclusive (Mann-Whitney U with Holm's adjustment, alpha ${comparison.options.alpha}).`,
    '',
  ];
  const moved = comparison.comparisons.filter((c) => c.verdict !== 'unchanged');
  if (moved.length) {
    lines.push('| verdict | page | metric | baseline → current | change [95 %] |', '| --- | --- | --- | ---: | ---: |');
    for (const c of moved) {
      const path = (() => {
        try {
          const u = new URL(c.url);
          return `${u.pathname}${u.search}`;
        } catch {
          return c.url;
        }
      })();
      lines.push(`| ${md(verdictText(c))} | ${md(path)} | ${md(c.metric)} | ${md(value(c, c.base.median))} → ${md(value(c, c.current.median))} | ${md(changeText(c))} |`);
    }
    lines.push('');
  }
  return lines.join('\n') + '\n';
}

const xml = (text) => String(text).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);

/** JUnit XML: a suite per URL, a case per comparison; a regression fails, the rest pass. */
export function comparisonJunit(comparison) {
  const byUrl = new Map();
  for (const c of comparison.comparisons) byUrl.set(c.url, [...(byUrl.get(c.url) ?? []), c]);
  const suites = [...byUrl].map(([url, rows]) => {
    const cases = rows.map((c) => {
      const text = `${value(c, c.base.median)} -> ${value(c, c.current.median)}, ${changeText(c)}, p ${pText(c.adjustedPValue)} (Holm), Cliff's delta ${c.cliffsDelta.toFixed(2)}: ${verdictText(c)}`;
      const body = c.verdict === 'regressed' ? `<failure message="${xml(text)}"/>` : `<system-out>${xml(text)}</system-out>`;
      return `    <testcase classname="${xml(url)}" name="${xml(`no regression: ${c.metric}`)}">${body}</testcase>`;
    });
    const failures = rows.filter((c) => c.verdict === 'regressed').length;
    return `  <testsuite name="${xml(url)}" tests="${rows.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="pagevitals compare">\n${suites.join('\n')}\n</testsuites>\n`;
}

export async function run(argv) {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        alpha: { type: 'string' },
        json: { type: 'string' },
        markdown: { type: 'string' },
        junit: { type: 'string' },
        'warn-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const o = args.values;
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.positionals.length !== 2) throw new UsageError('give two files: the baseline, then the current runs');
  const alpha = parseAlpha(o.alpha);
  const [basePath, currentPath] = args.positionals;
  const base = pagesOf(basePath);
  const current = pagesOf(currentPath);
  const comparison = compareInputs(base, current, { alpha });
  console.log(`baseline ${basePath} -> current ${currentPath}`);
  console.log(comparisonLines(comparison).join('\n'));
  writeComparison(o, comparison, { basePath, current });
  return comparison.counts.regressed && !o['warn-only'] ? 1 : 0;
}

/** Writes what `--json`, `--markdown` and `--junit` ask for. */
export function writeComparison(o, comparison, { basePath, current }) {
  const written = [];
  if (o.json) {
    const file = current.file ?? { schema: 'pagevitals-result', version: 1, tool: 'pagevitals compare', results: [] };
    writeFileSync(o.json, JSON.stringify({ ...file, comparison: { baseline: basePath, ...comparison } }, null, 2) + '\n');
    written.push(o.json);
  }
  if (o.markdown) {
    writeFileSync(o.markdown, comparisonMarkdown(comparison));
    written.push(o.markdown);
  }
  if (o.junit) {
    writeFileSync(o.junit, comparisonJunit(comparison));
    written.push(o.junit);
  }
  if (written.length) console.error(`wrote ${written.join(', ')}`);
}
