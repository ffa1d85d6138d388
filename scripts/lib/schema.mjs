// `pagevitals schema report|result|budget`: prints one of the JSON Schemas in schemas/.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { UsageError } from './result.mjs';

const SCHEMAS = resolve(import.meta.dirname, '../../schemas');

export const USAGE = `usage: pagevitals schema report|result|budget
Prints a JSON Schema (draft 2020-12): report (one page view, schema pagevitals-report),
result (a result file, schema pagevitals-result) or budget (the extended budget format).`;

export async function run(argv) {
  const [which, ...rest] = argv;
  if (which === '--help' || which === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (!['report', 'result', 'budget'].includes(which) || rest.length) {
    throw new UsageError(`which schema: report, result or budget${which ? `, not '${[which, ...rest].join(' ')}'` : ''}`);
  }
  process.stdout.write(readFileSync(join(SCHEMAS, `${which}.schema.json`), 'utf8'));
  return 0;
}
