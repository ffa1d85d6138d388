// A static HTTP server on loopback for the demo site and the test fixtures, sending the exact
// headers a scenario needs. Headers come from `_headers.json` in the site's root:
//   { "/strict-csp.html": { "Content-Security-Policy": "script-src 'self'" }, "*": { ... } }
// (`*` applies to every response; a path's own entry wins, and an entry for the path with its
// query, `/hero.png?headers`, wins over that). A `delay=<ms>` query parameter
// holds the response back, for late loads and slow first bytes; `hang=1` sends the headers and
// never the body (a subresource that never finishes, so its page never fires load) until the
// server is closed. `csp=strict` adds `Content-Security-Policy: script-src 'self'; style-src
// 'self'` (the policy under which Chromium runs the agent's wasm2js form) to any page, and
// `cache-control=<value>` sends that Cache-Control (`no-cache`: a page Firefox will keep in
// its back/forward cache, which it never does for the default `no-store`). A
// `POST /__beacon/<key>` (navigator.sendBeacon from a test's oracle, which still arrives from a
// page being unloaded or a tab being closed) is kept: `beacons(key)` gives the bodies received
// for that key, in arrival order. Where a path's headers say `Content-Encoding: gzip`, `br` or `deflate`,
// the body really is compressed so (on the fly, with Node's zlib) and `Content-Length` is the
// compressed size; any other value is sent as written over the file as it is.
// Options: `files` serves generated text at a path as if it were a file there (a script built
// by a test); `onRequest(url)` sees every request's URL as it arrives.
import { createServer } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
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

/** The codings the server can really apply when a path's headers name them. */
const ENCODERS = { gzip: gzipSync, br: brotliCompressSync, deflate: deflateSync };

/** Where beacons are posted: `POST /__beacon/<key>`. */
export const BEACON_PATH = '/__beacon/';

/** The policy `csp=strict` adds: no wasm compilation, so Chromium runs the agent's wasm2js form. */
const STRICT_CSP = "script-src 'self'; style-src 'self'";

/** Longest delay a request may ask for, so a typo cannot hang a test run. */
const MAX_DELAY_MS = 30_000;

export async function serve(root, { host = '127.0.0.1', port = 0, files = {}, onRequest } = {}) {
  const headerFile = join(root, '_headers.json');
  const rules = existsSync(headerFile) ? JSON.parse(readFileSync(headerFile, 'utf8')) : {};
  /** Responses held open by `hang=1`: closing the server must end them, or it waits forever. */
  const hanging = new Set();
  /** key -> bodies of the beacons posted for it. */
  const beacons = new Map();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    onRequest?.(url);
    if (req.method === 'POST' && url.pathname.startsWith(BEACON_PATH)) {
      const key = decodeURIComponent(url.pathname.slice(BEACON_PATH.length));
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      if (!beacons.has(key)) beacons.set(key, []);
      beacons.get(key).push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end();
      return;
    }
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(normalize(root) + sep) || path.includes('_headers.json')) {
      res.writeHead(403).end();
      return;
    }
    const delay = Math.min(Number(url.searchParams.get('delay')) || 0, MAX_DELAY_MS);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    let body = Object.hasOwn(files, path) ? Buffer.from(files[path]) : null;
    try {
      body ??= await readFile(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const headers = {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
      ...rules['*'],
      ...rules[path],
      ...rules[path + url.search],
      ...(url.searchParams.get('csp') === 'strict' && { 'Content-Security-Policy': STRICT_CSP }),
      ...(url.searchParams.has('cache-control') && { 'Cache-Control': url.searchParams.get('cache-control') }),
    };
    if (url.searchParams.get('hang') === '1') {
      // Headers now, body never: the browser waits for the rest of a response it was promised.
      res.writeHead(200, { ...headers, 'Content-Length': body.length });
      res.flushHeaders();
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    const encode = ENCODERS[headers['Content-Encoding']];
    if (encode) body = encode(body);
    res.writeHead(200, { ...headers, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address();
  return {
    url: `http://${host}:${bound}`,
    beacons: (key) => beacons.get(key) ?? [],
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        for (const res of hanging) res.destroy();
      }),
  };
}

/**
 * Serves `root` on 127.0.0.1 and, on the same port, on 127.0.0.2: a second origin, and a
 * second site, since an IP address has no registrable domain (the core's first/third-party
 * split counts each address as its own). Pages reach it by swapping the host of their own
 * origin, so no URL is written into them.
 */
export async function serveTwoOrigins(root) {
  const first = await serve(root);
  const second = await serve(root, { host: '127.0.0.2', port: Number(new URL(first.url).port) });
  return {
    url: first.url,
    thirdPartyUrl: second.url,
    close: async () => {
      await second.close();
      await first.close();
    },
  };
}
