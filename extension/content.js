// Content script, run at document_start in every top-level http(s) page. scripts/build
// bundles it with agent/early.js, agent/loader.js and the agent's wasm-bindgen glue into one
// classic script (no module imports on the page's main thread).
//
// At document_start only agent/early.js runs: it records what cannot be recovered later.
// The Rust agent starts once the page has loaded and the main thread is idle, so that it
// neither delays the page's first paint nor competes with its loading; its buffered observers
// deliver the entries recorded before it existed (docs/overhead.md lists their buffer limits).
// It starts at once when the page is hidden or left first, so a short visit is still reported.
import { recordEarly } from './agent/early.js';
import { load } from './agent/loader.js';

/** The longest the agent waits for an idle period after `load` (requestIdleCallback timeout). */
const IDLE_TIMEOUT_MS = 1000;

(() => {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    load(chrome.runtime.getURL('agent/'), early).catch((error) => console.debug('PageVitals agent did not start:', error));
  };
  const early = recordEarly(start);
  const whenIdle = () => requestIdleCallback(start, { timeout: IDLE_TIMEOUT_MS });
  if (document.visibilityState === 'hidden') start();
  else if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle, { once: true });
})();
