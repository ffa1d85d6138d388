// Instantiates the agent and starts it. The agent is built once (wasm-bindgen, bundler
// target) and shipped in two forms that share this glue: the wasm module, and the same module
// compiled to JavaScript by wasm2js. Chromium refuses to compile wasm in a content script on
// pages whose CSP lacks 'wasm-unsafe-eval'; there the JavaScript form runs instead.
import * as glue from './pagevitals_agent_bg.js';

/** The agent's wasm, fetched from the extension (bundled in Firefox's content script instead). */
const wasmBytes = async (base) => (await fetch(base + 'pagevitals_agent_bg.wasm')).arrayBuffer();

async function instantiateWasm(base) {
  const bytes = await wasmBytes(base);
  const { instance } = await WebAssembly.instantiate(bytes, { './pagevitals_agent_bg.js': glue });
  return instance.exports;
}

/**
 * Instantiates the agent and, if `shouldStart()` still says so (the page may have been left,
 * and its early batch sent, while this loaded), starts it with `send` as its sink and what the
 * content script kept until then (`early()`, called in the same task as `start()`: the page's
 * initial visibility, its lifecycle records and the entries delivered so far; see the agent's
 * `start()`). Resolves to whether it started.
 */
export async function load(base, send, shouldStart, early) {
  let exports;
  let form = 'wasm';
  try {
    exports = await instantiateWasm(base);
  } catch {
    exports = await import(base + 'pagevitals_agent_bg.wasm.js');
    form = 'js';
  }
  if (!shouldStart()) return false;
  glue.__wbg_set_wasm(exports);
  exports.__wbindgen_start?.();
  glue.start(send, form, early?.());
  return true;
}
