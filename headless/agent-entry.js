// The agent as one classic script for headless runs without the extension (a Playwright init
// script, which every Playwright browser runs in every frame before the page's own scripts).
// It is the wasm2js form: plain JavaScript, so no page CSP and no fetch can stop it. Batches go
// to the Node side through the `__pagevitalsSink` binding the headless module exposes. Only
// http(s) pages in the top frame are measured, as in the extension (not a new tab's initial
// about:blank, nor frames).
//
// A binding call made as the page is left by a navigation, a reload or a closed tab never
// reaches Node (measured: docs/metrics.md), nor does any request the DevTools protocol could
// see; nor, at times, one made while a navigation away is pending. So each batch is kept until
// Node acknowledges it (the binding's promise resolves), and from `pagehide` until the page is
// shown again, every batch not yet acknowledged goes by `navigator.sendBeacon` to the loopback
// listener the headless module started (its URL, with a secret path, replaces BEACON below);
// Node takes the first copy of each. Each document says who it is at once, while the binding
// still works, so that a batch arriving by beacon finds its page.
import * as glue from '../target/bindgen/agent/pagevitals_agent_bg.js';
import * as wasm from '../target/bindgen/agent/pagevitals_agent_bg.wasm.js';

const BEACON = '__PAGEVITALS_BEACON__';

if (window.top === window && /^https?:$/.test(location.protocol) && typeof window.__pagevitalsSink === 'function') {
  const sink = window.__pagevitalsSink;
  // Taken before the page's own scripts can replace it.
  const beacon = typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : null;
  const stringify = JSON.stringify;
  const doc = `${performance.timeOrigin}-${Math.random().toString(36).slice(2)}`;
  let seq = 0;
  let leaving = false;
  addEventListener('pagehide', () => (leaving = true), true);
  addEventListener('pageshow', () => (leaving = false), true);
  /** Batches sent but not yet acknowledged, by number (at most MAX_UNACKED, the latest). */
  const unacked = new Map();
  const MAX_UNACKED = 64;
  const beaconed = new Set();
  // The binding returns a promise, resolved once Node has the batch; a page being torn down may
  // reject it, or leave it pending for ever.
  const call = (n, json) =>
    Promise.resolve(sink(doc, n, json))
      .then(() => {
        unacked.delete(n);
        beaconed.delete(n);
      })
      .catch(() => {});
  call(0, null);
  const postUnacked = () => {
    const batches = [...unacked].filter(([n]) => !beaconed.has(n));
    if (!batches.length) return;
    try {
      // Within the browser's keep-alive quota (64 KB in flight), or false: nothing is lost that
      // the binding may still deliver.
      if (beacon(BEACON, stringify({ doc, batches }))) for (const [n] of batches) beaconed.add(n);
    } catch {
      // as above
    }
  };
  glue.__wbg_set_wasm(wasm);
  wasm.__wbindgen_start?.();
  glue.start((json) => {
    seq += 1;
    unacked.set(seq, json);
    for (const n of unacked.keys()) {
      if (unacked.size <= MAX_UNACKED) break;
      unacked.delete(n);
    }
    call(seq, json);
    if (leaving && beacon && BEACON.startsWith('http')) postUnacked();
  }, 'js');
}
