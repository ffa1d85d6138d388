// Instantiates the agent and starts it. The agent is built once (wasm-bindgen, bundler
// target) and shipped in two forms that share the glue scripts/build bundles into the content
// script: the wasm module, and the same module compiled to JavaScript by wasm2js
// (agent/pagevitals_agent_js.js, whose default export instantiates it from the same imports),
// imported only where it is needed. Chromium refuses to compile wasm in a content script on
// pages whose CSP lacks 'wasm-unsafe-eval'; there the JavaScript form runs instead.
import * as glue from './pagevitals_agent_bg.js';
import { api } from '../compat.js';

const imports = { './pagevitals_agent_bg.js': glue };

async function instantiateWasm(base) {
  const bytes = await (await fetch(base + 'pagevitals_agent_bg.wasm')).arrayBuffer();
  return (await WebAssembly.instantiate(bytes, imports)).instance.exports;
}

/**
 * Loads the agent from `base` (the extension's agent/ folder) and starts it with what
 * `early.handOver()` gives at that moment.
 */
export async function load(base, early) {
  let exports;
  let form = 'wasm';
  try {
    exports = await instantiateWasm(base);
  } catch {
    const { default: instantiate } = await import(base + 'pagevitals_agent_js.js');
    exports = instantiate(imports);
    form = 'js';
  }
  glue.__wbg_set_wasm(exports);
  exports.__wbindgen_start?.();
  const send = (json) => {
    // Rejects when the background is reloading; the next batch carries on.
    api.runtime.sendMessage({ type: 'pv:batch', json }).catch(() => {});
  };
  glue.start(send, form, early.handOver());
}
