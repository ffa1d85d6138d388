// Content script, run at document_start in every top-level http(s) page; scripts/build
// bundles it with agent/early.js into one small classic script.
//
// At document_start agent/early.js records what cannot be recovered later, and the agent
// (agent/agent.js: the loader, compat.js and the wasm-bindgen glue, bundled into one module)
// is imported and its wasm instantiated, off the page's way. The agent starts only once the
// page has loaded and the main thread is idle, so that it neither delays the page's first
// paint nor competes with its loading; its buffered observers deliver the entries recorded
// before it existed (docs/overhead.md lists their buffer limits). When the page is hidden or
// left first, it starts at once (synchronously when it is ready, as it is a few milliseconds
// after document_start), so that a short visit is still reported.
import { recordEarly } from './agent/early.js';

/** The longest the agent waits for an idle period after `load` (requestIdleCallback timeout). */
const IDLE_TIMEOUT_MS = 1000;

(() => {
  const base = chrome.runtime.getURL('agent/');
  const failed = (error) => console.debug('PageVitals agent did not start:', error);
  // Set once the agent is ready; starting it is synchronous for the wasm form.
  let start = null;
  let wanted = false;
  import(base + 'agent.js')
    .then(({ prepare }) => prepare(base))
    .then((startAgent) => {
      start = async () => {
        try {
          await startAgent(early);
        } catch (error) {
          failed(error);
        }
      };
      if (wanted) start();
    }, failed);
  const startOnce = () => {
    if (wanted) return;
    wanted = true;
    start?.();
  };
  const early = recordEarly(startOnce);
  const whenIdle = () => requestIdleCallback(startOnce, { timeout: IDLE_TIMEOUT_MS });
  if (document.visibilityState === 'hidden') startOnce();
  else if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle, { once: true });
})();
