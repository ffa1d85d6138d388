// The agent as one classic script for headless runs without the extension (a Playwright init
// script, which every Playwright browser runs in every frame before the page's own scripts).
// It is the wasm2js form: plain JavaScript, so no page CSP and no fetch can stop it. Batches go
// to the Node side through the `__pagevitalsSink` binding the headless module exposes; pages in
// frames other than the top one are ignored, as in the extension.
import * as glue from '../target/bindgen/agent/pagevitals_agent_bg.js';
import * as wasm from '../target/bindgen/agent/pagevitals_agent_bg.wasm.js';

if (window.top === window && typeof window.__pagevitalsSink === 'function') {
  const sink = window.__pagevitalsSink;
  glue.__wbg_set_wasm(wasm);
  wasm.__wbindgen_start?.();
  glue.start((json) => {
    // The binding returns a promise; a page being torn down may reject it.
    Promise.resolve(sink(json)).catch(() => {});
  }, 'js');
}
