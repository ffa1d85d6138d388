// A static HTTP server on loopback for the demo site and the test fixtures, sending the exact
// headers a scenario needs. Headers come from `_headers.json` in the site's root:
//   { "/strict-csp.html": { "Content-Security-Policy": "script-src 'self'" }, "*": { ... } }
// (`*` applies to every response; a path's own entry wins). A `delay=<ms>` query parameter
// holds the response back, for late loads and slow first bytes.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Longest delay a request may ask for, so a typo cannot hang a test run. */
const MAX_DELAY_MS = 30_000;

export async function serve(root, { host = '127.0.0.1', port = 0 } = {}) {
  const headerFile = join(root, '_headers.json');
  const rules = existsSync(headerFile) ? JSON.parse(readFileSync(headerFile, 'utf8')) : {};
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(normalize(root) + sep) || path.includes('_headers.json')) {
      res.writeHead(403).end();
      return;
    }
    const delay = Math.min(Number(url.searchParams.get('delay')) || 0, MAX_DELAY_MS);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    let body;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      ...rules['*'],
      ...rules[path],
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address();
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
