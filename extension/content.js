// Content script, run at document_start in every top-level http(s) page. It loads the Rust
// agent (a module, so it is imported from the extension), which records the page view and
// sends its batches to the background. A classic script cannot import compat.js, so it picks
// the promise-based API (`browser` in Firefox, `chrome` in Chrome) the way compat.js does.
//
// The agent is imported only once the page has loaded and painted after `load` (or
// `AGENT_START_LATEST_MS` after the document began, for a page still loading then): importing
// and instantiating it while the page loads delayed the page's own first paint and LCP
// (docs/overhead.md). Until it starts, this script keeps the browser's entries as they are
// delivered (one buffered observer, as the agent's), each delivery with the page's interaction
// count then, and hands them to the agent, which records them as if its own observers had been
// delivered them, and observes unbuffered from then on: no entry twice, none lost to the
// browser's buffers (Event Timing buffers only entries of 104 ms or more). A page left before
// the agent started would have no report, so `pagehide` then sends the kept entries in one
// batch in the agent's own log format: each entry as its `toJSON()` gives it, with the
// selectors of its nodes, as the agent records it (crates/pagevitals-agent/src/record.rs).
// That page view is then complete: the agent never starts in it (docs/metrics.md). Once the
// agent runs, this script keeps nothing.
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
  let initialVisibility = document.visibilityState === 'hidden' ? 'hidden' : 'visible';
  let restoredAt; // a restore from the back/forward cache before the agent started (below)
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
  // The entries delivered until the agent starts, one delivery at a time: a buffered
  // observer's `takeRecords()` at `pagehide` can miss an entry the browser has just delivered
  // (an FCP in Chromium, an LCP in Firefox, presented as the page is left). At most
  // `MAX_KEPT_ENTRIES`, as many as the agent holds for a prerendering page (MAX_HELD_RECORDS);
  // the rest are counted by type, as the agent counts what it drops. Only kept, never read,
  // unless the page is left or the agent starts.
  // A paint presented as the page is left can reach observers after `pagehide`; web-vitals
  // still reports FCP from it (its paint observer outlives the page's hiding, unlike LCP's), so
  // a paint delivered after the early batch follows it at once.
  const MAX_KEPT_ENTRIES = 5000;
  const supported = PerformanceObserver.supportedEntryTypes ?? [];
  const deliveries = [];
  let kept = 0;
  let dropped = null; // entry type -> count, past MAX_KEPT_ENTRIES
  let page = null; // the early batch's page view, once sent
  const observer = observeAll(supported, (list) => {
    const entries = list.getEntries();
    if (state === 'sent') {
      const paints = entries.filter((entry) => entry.entryType === 'paint');
      if (paints.length) send(batch(page, paints, []));
      return;
    }
    keep(entries);
  });
  function keep(entries) {
    const room = Math.max(0, MAX_KEPT_ENTRIES - kept);
    for (const entry of entries.slice(room)) {
      dropped ??= {};
      dropped[entry.entryType] = (dropped[entry.entryType] ?? 0) + 1;
    }
    const taken = entries.slice(0, room);
    if (!taken.length) return;
    kept += taken.length;
    deliveries.push({ entries: taken, interactionCount: performance.interactionCount });
  }
  addEventListener('pagehide', (event) => {
    if (state !== 'loading' || document.prerendering) return;
    state = 'sent';
    keep(observer.takeRecords());
    const entries = deliveries.flatMap((delivery) => delivery.entries);
    deliveries.length = 0;
    // Firefox can buffer a resource's entry before delivering it to observers; web-vitals' LCP
    // attribution reads the buffer, so the early batch does too.
    if (supported.includes('resource')) {
      const known = new Set(entries.filter((e) => e.entryType === 'resource').map((e) => `${e.startTime} ${e.name}`));
      entries.push(...performance.getEntriesByType('resource').filter((e) => !known.has(`${e.startTime} ${e.name}`)));
    }
    page = earlyPage(supported, initialVisibility, restoredAt);
    send(batch(page, entries, [...lifecycle, { lifecycle: 'pagehide', time: event.timeStamp, persisted: event.persisted }]));
  }, true);

  // The agent is imported once the page has loaded and presented a frame after `load` (a
  // hidden or prerendering page presents none: a timer stands in), or at the latest
  // `AGENT_START_LATEST_MS` after the document began.
  const AGENT_START_LATEST_MS = 5_000;
  const AFTER_LOAD_FRAME_MS = 100;
  let starting = false;
  const startOnce = () => starting || ((starting = true), startAgent());
  // A page left into the back/forward cache before the agent started, and shown again, is a
  // new page view (web-vitals resets every metric then), which the agent measures as its own
  // restores: from the `pageshow`, its first paint two animation frames later (web-vitals'
  // doubleRAF), timed here because the agent's import may take longer; it starts then.
  let restorePaintDue = false;
  addEventListener('pageshow', (event) => {
    if (!event.persisted || state !== 'sent') return;
    state = 'loading';
    page = null;
    initialVisibility = 'visible';
    restoredAt = event.timeStamp;
    kept = 0;
    inputSeen = false;
    lifecycle.length = 0;
    lifecycle.push({ lifecycle: 'pageshow', time: event.timeStamp, persisted: true });
    restorePaintDue = true;
    requestAnimationFrame(() => requestAnimationFrame(() => {
      restorePaintDue = false;
      if (state !== 'loading') return;
      lifecycle.push({ lifecycle: 'restorepaint', time: performance.now() });
      startOnce();
    }));
  }, true);
  addEventListener('load', () => {
    requestAnimationFrame(() => setTimeout(startOnce, 0));
    setTimeout(startOnce, AFTER_LOAD_FRAME_MS);
  }, { once: true });
  setTimeout(startOnce, Math.max(0, AGENT_START_LATEST_MS - performance.now()));

  /**
   * Imports the agent and starts it, unless the early batch was sent. It is handed what this
   * script kept, its own observer and listeners stopped in the same task as the agent's begin,
   * so that nothing comes twice or falls between them.
   */
  function startAgent() {
    importAgent()
      .then(({ load }) => load(base, send, () => state === 'loading' && !restorePaintDue, handOver))
      .then((started) => started || (starting = false)) // left meanwhile; may be restored
      .catch((error) => console.debug('PageVitals agent did not start:', error));
  }

  /**
   * The agent's loader, imported from the extension. Firefox's build bundles it (and the wasm)
   * into this script instead (scripts/lib/firefox-content.mjs): Firefox keeps no page in its
   * back/forward cache that is left while a request of it is in flight, and an import or fetch
   * by its content script is one.
   */
  function importAgent() {
    return import(base + 'loader.js');
  }

  /** What the agent is started with (its `start()`'s `early`); this script then keeps nothing. */
  function handOver() {
    state = 'started';
    keep(observer.takeRecords());
    observer.disconnect();
    for (const [target, type, listener] of watched) target.removeEventListener(type, listener, true);
    return {
      initialVisibility,
      ...(restoredAt !== undefined && { restoredAt }),
      records: lifecycle.splice(0),
      deliveries: deliveries.splice(0),
      ...(dropped && { dropped }),
    };
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
  function earlyPage(supported, visibility, restoredAt) {
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
      ...(restoredAt !== undefined && { restoredAt }),
    };
  }

  /** Entries, then lifecycle records, as one entry-log batch of the page view. */
  function batch(page, entries, lifecycle) {
    const records = entries.slice(0, MAX_KEPT_ENTRIES).map(record);
    const counts = dropped ?? {};
    dropped = null; // sent once
    for (const entry of entries.slice(MAX_KEPT_ENTRIES)) counts[entry.entryType] = (counts[entry.entryType] ?? 0) + 1;
    const count = performance.interactionCount;
    const events = records.filter((r) => r.entryType === 'event' || r.entryType === 'first-input');
    if (count !== undefined && events.length) events.at(-1).interactionCount = count;
    return JSON.stringify({
      format: 'pagevitals-entry-log',
      version: 1,
      page,
      now: performance.now(),
      ...(count !== undefined && { interactionCount: count }),
      ...(Object.keys(counts).length && { dropped: counts }),
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
