// Content script, run at document_start in every top-level http(s) page. It only loads the
// Rust agent (a module, so it is imported from the extension) and forwards the agent's
// batches to the background. `chrome.runtime` exists under that name in both browsers.
(() => {
  const base = chrome.runtime.getURL('agent/');
  import(base + 'loader.js')
    .then(({ load }) => load(base))
    .catch((error) => console.debug('PageVitals agent did not start:', error));
})();
