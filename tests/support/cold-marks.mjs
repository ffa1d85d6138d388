// An --interactions module for the audit's cache tests: waits until the page has left its
// marks (tests/sites/fixtures/cold.js), then appends what the page view found left by
// earlier runs, one JSON line per run, to the file named by PV_CARRIED_FILE.
import { appendFileSync } from 'node:fs';

export default async function (page, { run }) {
  const carried = await page.evaluate(() => window.marked);
  appendFileSync(process.env.PV_CARRIED_FILE, `${JSON.stringify({ run, ...carried })}\n`);
}
