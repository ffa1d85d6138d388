// Instantiates the agent and starts it. The agent is built once (wasm-bindgen, bundler
// target) and shipped in two forms that share this glue: the wasm module, and the same module
// compiled to JavaScript by wasm2js. Chromium refuses to compile wasm in a content script on
// pages whose CSP lacks 'wasm-unsafe-eval'; there the JavaScript form runs instead.
import * as glue from './pagevitals_agent_bg.js';
import { api } from '../compat.js';

async function instantiateWasm(base) {
  const bytes = await (await fetch(base + 'pagevitals_agent_bg.wasm')).arrayBuffer();
  const { instance } = await WebAssembly.instantiate(bytes, { './pagevitals_agent_bg.js': glue });
  return instance.exports;
}

export async function load(base) {
  let exports;
  let form = 'wasm';
  try {
    exports = await instantiateWasm(base);
  } catch {
    exports = await import(base + 'pagevitals_agent_bg.wasm.js');
    form = 'js';
  }
  glue.__wbg_set_wasm(exports);
  exports.__wbindgen_start?.();
  const send = (json) => {
    // Rejects when the background is reloading; the next batch carries on.
    api.runtime.sendMessage({ type: 'pv:batch', json }).catch(() => {});
  };
  glue.start(send, form);
}
