// Instantiates the agent and starts it; scripts/build bundles it with compat.js and the
// wasm-bindgen glue into the one module agent/agent.js. The agent is built once (wasm-bindgen,
// bundler target) and shipped in two forms that share that glue: the wasm module, and the same module compiled to JavaScript by wasm2js
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
 * Gets the agent ready from `base` (the extension's agent/ folder): fetches and instantiates
 * the wasm, and returns `start(early)`, which starts it with what `early.handOver()` gives at
 * that moment. Where the wasm cannot be compiled, the wasm2js form is imported only once
 * `start` is called: it is large enough to delay the page's first paint if parsed early.
 */
export async function prepare(base) {
  let exports = null;
  try {
    exports = await instantiateWasm(base);
  } catch {
    // Compiling wasm is forbidden here: the JavaScript form, later.
  }
  const send = (json) => {
    // Rejects when the background is reloading; the next batch carries on.
    api.runtime.sendMessage({ type: 'pv:batch', json }).catch(() => {});
  };
  const run = (exports, form, early) => {
    glue.__wbg_set_wasm(exports);
    exports.__wbindgen_start?.();
    glue.start(send, form, early.handOver());
  };
  if (exports) return (early) => run(exports, 'wasm', early);
  return async (early) => {
    const { default: instantiate } = await import(base + 'pagevitals_agent_js.js');
    run(instantiate(imports), 'js', early);
  };
}
