// `pagevitals merge FILE... --json OUT`: joins result files (the shards of one audit, or the
// runs of several machines) into one result file, each URL's summary and findings recomputed
// from all its reports (scripts/lib/result.mjs). Exit 0 written, 2 bad input.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { InputError, mergeResults, readInput, UsageError } from './result.mjs';

export const USAGE = `usage: pagevitals merge FILE... --json OUT
Joins result files (pagevitals audit --json, --shard I/N on several machines, or the
Playwright reporter) into one: every URL's runs together, in the audited order, with their
median, p75 and spread recomputed. Shards must all be there, of the same URL list, browser
and cache state. Check budgets on the merged file: pagevitals check OUT --budget FILE.
  --json OUT   where to write the merged result file
Exit status: 0 written, 2 bad input.`;

export async function run(argv) {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.positionals.length) throw new UsageError('no result file to merge');
  if (!args.values.json) throw new UsageError('--json OUT is needed: where to write the merged result');
  const inputs = args.positionals.map((path) => {
    const input = readInput(path);
    if (input.kind !== 'result') throw new InputError(`${path}: a report, not a result file: merge joins result files (pagevitals audit --json)`);
    return { path, file: input.file };
  });
  const merged = mergeResults(inputs);
  writeFileSync(args.values.json, JSON.stringify(merged, null, 2) + '\n');
  const runs = merged.results.reduce((n, r) => n + r.runs, 0);
  console.error(`merged ${inputs.length} file${inputs.length > 1 ? 's' : ''}: ${merged.results.length} URL${merged.results.length === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'}; wrote ${args.values.json}`);
  return merged.results.some((r) => r.error) ? 2 : 0;
}
