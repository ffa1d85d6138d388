#!/usr/bin/env node
// `pagevitals`: one command for everything PageVitals does outside the browser's toolbar.
//   pagevitals audit [URL...]                  measure pages in a real browser with the extension
//   pagevitals check FILE... --budget FILE     check results, reports or logs against a budget
//   pagevitals merge FILE... --json OUT        join shard results into one result file
//   pagevitals compare BASE.json CURRENT.json  regression verdicts against a baseline
//   pagevitals schema report|result|budget     print a JSON Schema
// Exit status, for every verb: 0 pass, 1 a budget failed or a regression, 2 bad input or a browser or
// navigation error (one line on stderr says why).
import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const VERBS = {
  audit: { module: '../scripts/lib/audit.mjs', about: 'measure pages in Chromium or Firefox with the extension (no URL: the bundled demo site)' },
  check: { module: '../scripts/lib/check.mjs', about: 'check result files, reports or entry logs against a budget' },
  merge: { module: '../scripts/lib/merge.mjs', about: 'join result files (shards of one audit) into one' },
  compare: { module: '../scripts/lib/compare.mjs', about: 'did it get slower? baseline against current runs, with noise-aware verdicts' },
  schema: { module: '../scripts/lib/schema.mjs', about: 'print the JSON Schema of a report, a result file or a budget' },
};

const USAGE = `usage: pagevitals <command> [options]   (pagevitals <command> --help for its options)
${Object.entries(VERBS).map(([verb, { about }]) => `  ${verb.padEnd(8)}${about}`).join('\n')}
Exit status: 0 pass, 1 a budget failed or a regression, 2 bad input or a browser or navigation error.
pagevitals ${version}`;

export async function main(argv) {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    if (verb === 'help' && rest[0] && VERBS[rest[0]]) return main([rest[0], '--help']);
    console.log(USAGE);
    return verb === undefined ? 2 : 0;
  }
  if (verb === '--version' || verb === '-v') {
    console.log(version);
    return 0;
  }
  if (!VERBS[verb]) {
    console.error(`pagevitals: unknown command '${verb}' (pagevitals --help lists them)`);
    return 2;
  }
  const { run } = await import(new URL(VERBS[verb].module, import.meta.url));
  const { runVerb } = await import('../scripts/lib/result.mjs');
  return runVerb(verb, run, rest);
}

// Run as a command (npx and npm's bin links reach this file through a symbolic link).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
