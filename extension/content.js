// Content script, run at document_start in every top-level http(s) page. It loads the Rust
// agent (a module, so it is imported from the extension), which records the page view and
// sends its batches to the background. A classic script cannot import compat.js, so it picks
// the promise-based API (`browser` in Firefox, `chrome` in Chrome) the way compat.js does.
//
// The agent starts some 20 to 50 ms after this script (the import and the wasm's
// instantiation), after `load` on a fast page. A page left before that (a tab closed, or a link
// followed, right after a fast load) would have no report, so until the agent has started, the
// browser's entries are kept as they are delivered (a buffered observer, as the agent's), and
// `pagehide` sends them in one batch in the agent's own log format: each entry as its
// `toJSON()` gives it, with the selectors of its nodes, as the agent records it
// (crates/pagevitals-agent/src/record.rs). That page view is then complete: the agent never
// starts in it (docs/metrics.md). Once the agent runs, this script keeps nothing.
(() => {
  /** The agent's `OBSERVED_TYPES` (crates/pagevitals-agent/src/lib.rs; a test keeps them equal). */
  const OBSERVED_TYPES = [
    'navigation', 'paint', 'largest-contentful-paint', 'layout-shift', 'event', 'first-input',
    'longtask', 'long-animation-frame', 'resource', 'soft-navigation',
    'interaction-contentful-paint', 'visibility-state',
  ];

  const api = globalThis.browser ?? globalThis.chrome;
  const base = api.runtime.getURL('agent/');
  // From `pagehide` on (until the page is shown again from the back/forward cache), a message
  // can be lost: a background that is not running (Chromium's stopped service worker, Firefox's
  // suspended event page) starts too late for a page that is gone, or frozen in the
  // back/forward cache (Chromium drops it then, measured: tests/e2e/extension.test.mjs). A write
  // to storage.local can be lost too, from a tab being closed, where the message arrives. So a
  // batch sent as the page is left goes both ways under one key; the background takes whichever
  // comes first and drops the other (background.js, outbox).
  let leaving = false;
  addEventListener('pagehide', () => (leaving = true), true);
  addEventListener('pageshow', () => (leaving = false), true);
  let posted = 0;
  const send = (json) => {
    // A message rejects when the background is reloading; the next batch carries on.
    if (!leaving) return api.runtime.sendMessage({ type: 'pv:batch', json }).catch(() => {});
    const key = `outbox:${performance.timeOrigin}-${(posted += 1)}`;
    api.storage.local.set({ [key]: json }).catch(() => {});
    return api.runtime.sendMessage({ type: 'pv:batch', json, key }).catch(() => {});
  };
  // Read at once: by the time a page is left, it is hidden.
  const initialVisibility = document.visibilityState === 'hidden' ? 'hidden' : 'visible';
  let state = 'loading'; // 'started' by the agent, or 'sent' by the early batch
  // What the agent records from events, until it starts, in its own format: the first trusted
  // keydown or click (which ends LCP), visibility changes, the load's pageshow. Handed to the
  // agent when it starts, or sent in the early batch.
  const lifecycle = [];
  let inputSeen = false;
  const watched = [
    [window, 'keydown', onInput],
    [window, 'click', onInput],
    [document, 'visibilitychange', (event) => lifecycle.push({ lifecycle: 'visibilitychange', time: event.timeStamp, state: document.visibilityState === 'hidden' ? 'hidden' : 'visible' })],
    [window, 'pageshow', (event) => event.persisted || lifecycle.push({ lifecycle: 'pageshow', time: event.timeStamp, persisted: false })],
  ];
  for (const [target, type, listener] of watched) target.addEventListener(type, listener, true);
  function onInput(event) {
    if (!event.isTrusted || inputSeen) return;
    inputSeen = true;
    lifecycle.push({ lifecycle: 'input', time: event.timeStamp, kind: event.type });
  }
  // The entries delivered until the agent starts: a buffered observer's `takeRecords()` at
  // `pagehide` can miss an entry the browser has just delivered (an FCP in Chromium, an LCP in
  // Firefox, presented as the page is left). Only kept, never read, unless the page is left.
  // A paint presented as the page is left can reach observers after `pagehide`; web-vitals
  // still reports FCP from it (its paint observer outlives the page's hiding, unlike LCP's), so
  // a paint delivered after the early batch follows it at once.
  const supported = PerformanceObserver.supportedEntryTypes ?? [];
  const delivered = [];
  let page = null; // the early batch's page view, once sent
  const observer = observeAll(supported, (list) => {
    const entries = list.getEntries();
    if (state === 'sent') {
      const paints = entries.filter((entry) => entry.entryType === 'paint');
      if (paints.length) send(batch(page, paints, []));
      return;
    }
    delivered.push(...entries);
  });
  addEventListener('pagehide', (event) => {
    if (state !== 'loading' || document.prerendering) return;
    state = 'sent';
    const entries = [...delivered, ...observer.takeRecords()];
    delivered.length = 0;
    page = earlyPage(supported, initialVisibility);
    send(batch(page, entries, [...lifecycle, { lifecycle: 'pagehide', time: event.timeStamp, persisted: event.persisted }]));
  }, true);

  // The agent is imported at once. Importing it only after the page's first contentful paint
  // showed no gain that 20 loads can tell from noise, and more pages left while it was still
  // being imported: a closed tab without a view, a page kept out of the back/forward cache
  // (docs/overhead.md). It is handed what the browser's buffers do not keep.
  startAgent();

  /** Imports the agent and starts it, unless the early batch was sent; then keeps nothing. */
  function startAgent() {
    import(base + 'loader.js')
      .then(({ load }) => load(base, send, () => state === 'loading', () => ({ initialVisibility, records: lifecycle.slice() })))
      .then((started) => {
        if (!started) return;
        state = 'started';
        observer.disconnect();
        delivered.length = 0;
        for (const [target, type, listener] of watched) target.removeEventListener(type, listener, true);
      })
      .catch((error) => console.debug('PageVitals agent did not start:', error));
  }

  /**
   * One buffered observer for every type the agent observes, as the agent observes them: Event
   * Timing at 40 ms.
   */
  function observeAll(types, callback) {
    const observer = new PerformanceObserver(callback);
    for (const type of OBSERVED_TYPES.filter((t) => types.includes(t))) {
      observer.observe({ type, buffered: true, ...(type === 'event' && { durationThreshold: 40 }) });
    }
    return observer;
  }

  /** The early batch's page view, as the agent describes its own. */
  function earlyPage(supported, visibility) {
    const base36 = (n) => Math.floor(n).toString(36);
    return {
      url: location.href,
      navigationId: `${base36(performance.timeOrigin)}-${base36(performance.now())}-${base36(Math.random() * 2 ** 32)}`,
      timeOrigin: performance.timeOrigin,
      userAgent: navigator.userAgent,
      supportedEntryTypes: supported,
      initialVisibility: visibility,
      prerendering: false,
      wasDiscarded: Boolean(document.wasDiscarded),
      agentForm: 'early',
    };
  }

  /** Entries, then lifecycle records, as one entry-log batch of the page view. */
  function batch(page, entries, lifecycle) {
    // As many as the agent holds for a prerendering page (MAX_HELD_RECORDS); the rest counted.
    const records = entries.slice(0, 5000).map(record);
    const dropped = {};
    for (const entry of entries.slice(5000)) dropped[entry.entryType] = (dropped[entry.entryType] ?? 0) + 1;
    const count = performance.interactionCount;
    const events = records.filter((r) => r.entryType === 'event' || r.entryType === 'first-input');
    if (count !== undefined && events.length) events.at(-1).interactionCount = count;
    return JSON.stringify({
      format: 'pagevitals-entry-log',
      version: 1,
      page,
      now: performance.now(),
      ...(count !== undefined && { interactionCount: count }),
      ...(entries.length > 5000 && { dropped }),
      records: [...records, ...lifecycle],
    });
  }

  /** As the agent's `record::record`: `toJSON()` plus the selectors of the entry's nodes. */
  function record(entry) {
    const json = entry.toJSON();
    const withSelector = (plain, node) => (node instanceof Node ? { ...plain, selector: selector(node) } : plain);
    switch (entry.entryType) {
      case 'largest-contentful-paint': {
        const element = entry.element;
        if (!(element instanceof Element)) return json;
        return {
          ...withSelector(json, element),
          elementTag: element.nodeName.toLowerCase(),
          elementLoading: element.getAttribute('loading'),
          elementFetchPriority: element.getAttribute('fetchpriority'),
        };
      }
      case 'event':
      case 'first-input':
        return withSelector(json, entry.target);
      case 'layout-shift':
        return { ...json, sources: entry.sources.map((s) => withSelector(s.toJSON(), s.node)) };
      case 'interaction-contentful-paint': {
        const lcp = entry.largestContentfulPaint;
        return lcp ? { ...json, largestContentfulPaint: withSelector(lcp.toJSON(), lcp.element) } : json;
      }
      default:
        return json;
    }
  }

  /** web-vitals' getSelector, as the agent's `record::selector`. */
  function selector(node) {
    let out = '';
    for (let current = node; current && current.nodeType !== Node.DOCUMENT_NODE; current = current.parentNode) {
      if (!(current instanceof Element)) break;
      const part = current.id ? `#${current.id}` : [current.nodeName.toLowerCase(), ...[...current.classList].sort()].join('.');
      if (out.length + part.length > 99) return out || part;
      out = out ? `${part}>${out}` : part;
      if (current.id) break;
    }
    return out;
  }
})();
