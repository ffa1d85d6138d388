// The main job end to end: `scripts/lib/audit.mjs` (what `scripts/audit` runs after setup and
// build) on the bundled demo shop, in each browser, prints the metrics and the demo's mix of
// problems as recommendations. The demo's problems are deliberate and deterministic, so the
// set of findings is fixed; the browsers differ only where Firefox lacks the input.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { ROOT } from '../../scripts/lib/browsers.mjs';

const run = promisify(execFile);

/** What the demo must be found to do wrong, in every browser. */
const EVERYWHERE = [
  'lcp-discovery', // the hero comes from a data-src lazy-loader
  'render-blocking-resources', // styles.css?delay=150 (and app.js in Chromium)
  'uses-long-cache-ttl', // styles.css, app.js, hero.png, the reviews widget
  'uses-text-compression', // app.js
  'document-latency', // the HTML is sent uncompressed
  'missing-validators', // the reviews widget has no ETag
  'timing-hidden', // the reviews widget sends no Timing-Allow-Origin
];
const ONLY = { chromium: ['long-tasks-blocking'], firefox: [] };

for (const browser of ['chromium', 'firefox']) {
  describe(`scripts/audit in ${browser}`, () => {
    test('prints the metrics and the demo shop’s problems as top recommendations', async () => {
      const markdown = join(mkdtempSync(join(tmpdir(), 'pv-demo-')), 'summary.md');
      const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/lib/audit.mjs'), '--browser', browser, '--markdown', markdown], {
        timeout: 120_000,
      });
      for (const metric of ['LCP', 'FCP', 'TTFB']) assert.match(stdout, new RegExp(`^${metric} +\\d+ ms`, 'm'));
      assert.match(stdout, /server timing \(entry\) .*: db 53\.2 ms \(product query\), render 21 ms \(template\)/);
      assert.match(stdout, /^top recommendations \(5 of \d+, largest saving first\):$/m);
      // Each as a person reads it: the finding, its saving, the fix in a sentence; then the
      // evidence and the rule's id. How the saving was estimated is not in the summary.
      const SENTENCE = /^ *\d+\. [A-Z0-9].+ \((high|medium|low); (saves about \d.+|no saving estimated)\)\. [A-Z][^.]+(\.[^ .][^.]*)*\.$/gm;
      assert.equal([...stdout.matchAll(SENTENCE)].length, 5, stdout);
      const top = [...stdout.matchAll(/^ {4}evidence: .+ \[([a-z-]+)\]$/gm)].map((m) => m[1]);
      assert.equal(top.length, 5, stdout);
      const summary = readFileSync(markdown, 'utf8');
      const bullets = summary.split('\n').filter((line) => line.startsWith('- '));
      assert.equal(bullets.length, 5, summary);
      for (const line of bullets) assert.match(line, /^- \*\*.+\*\* \((high|medium|low); (saves about \d.+|no saving estimated)\)\. [A-Z].+\.$/);
      for (const text of [stdout, summary]) assert.doesNotMatch(text, /(LCP|FCP|bytes|ms): .*(capped at|from the first byte of the HTML|transfer size of)/, 'no estimation method in a summary');
      const also = stdout.match(/^ {4}also: (.+)$/m)?.[1].split(', ') ?? [];
      const found = [...top, ...also];
      for (const id of [...EVERYWHERE, ...ONLY[browser]]) assert.ok(found.includes(id), `${id} missing from:\n${stdout}`);
      if (browser === 'firefox') assert.ok(!found.includes('long-tasks-blocking'), 'no long tasks are known in Firefox');
    });
  });
}
