// `pagevitals/reporter`: a Playwright Test reporter that collects the PageVitals reports tests
// attach (`attachReport(testInfo, report)` from `pagevitals/playwright`) and writes one result
// file (schema `pagevitals-result`, what `pagevitals audit --json` writes), which
// `pagevitals check`, `merge` and later verbs read. With Playwright's own sharding, each shard
// writes a blob report and `npx playwright merge-reports --reporter pagevitals/reporter` gives
// one result with every shard's reports.
//
//   reporter: [['pagevitals/reporter', { outputFile: 'pagevitals-result.json' }]]
//
// The file is `outputFile`, else $PAGEVITALS_RESULT, else pagevitals-result.json in the
// current directory. Reports are grouped by page URL (and cache state, where a report says
// it), URLs in sorted order, each URL's runs in the order of its tests' titles, so that a
// merged run and an unsharded one give the same file but for the timings.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { REPORT_ATTACHMENT } from './index.mjs';
import { pageResult, resultFile } from '../scripts/lib/result.mjs';

export default class PageVitalsReporter {
  constructor(options = {}) {
    this.outputFile = resolve(options.outputFile ?? process.env.PAGEVITALS_RESULT ?? 'pagevitals-result.json');
    /** {title, order, report, browser} per attached report. */
    this.runs = [];
  }

  printsToStdio() {
    return false;
  }

  onTestEnd(test, result) {
    const title = test.titlePath().filter(Boolean).join(' › ');
    const browser = test.parent?.project?.()?.use?.browserName ?? null;
    result.attachments
      .filter((a) => a.name === REPORT_ATTACHMENT)
      .forEach((a, order) => {
        const text = a.body ? a.body.toString('utf8') : a.path ? readFileSync(a.path, 'utf8') : null;
        if (text === null) return;
        try {
          this.runs.push({ title, order, retry: result.retry, report: JSON.parse(text), browser });
        } catch (error) {
          console.error(`pagevitals reporter: ${title}: attachment ${REPORT_ATTACHMENT} is not JSON (${error.message}); skipped`);
        }
      });
  }

  onEnd() {
    const groups = new Map();
    const sorted = [...this.runs].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.retry - b.retry || a.order - b.order));
    for (const run of sorted) {
      const url = run.report.page?.url ?? null;
      const cache = run.report.run?.cache ?? null;
      const key = JSON.stringify([url, cache]);
      const group = groups.get(key) ?? { url, cache, reports: [], tests: [] };
      group.reports.push(run.report);
      if (!group.tests.includes(run.title)) group.tests.push(run.title);
      groups.set(key, group);
    }
    const results = [...groups.values()]
      .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : String(a.cache).localeCompare(String(b.cache))))
      .map(({ url, cache, reports, tests }) => ({ ...pageResult(url, cache, reports, null), tests }));
    const one = (values) => (values.length && values.every((v) => v === values[0]) ? values[0] : null);
    const file = resultFile('pagevitals reporter', results, {
      browser: one(this.runs.map((r) => r.browser)),
      cache: one(results.map((r) => r.cache)),
      budget: null,
    });
    writeFileSync(this.outputFile, JSON.stringify(file, null, 2) + '\n');
    console.error(`pagevitals reporter: ${this.runs.length} report${this.runs.length === 1 ? '' : 's'} of ${results.length} URL${results.length === 1 ? '' : 's'}; wrote ${this.outputFile}`);
  }
}
