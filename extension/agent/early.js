// The part of the agent that runs at document_start: what cannot be recovered once the page
// has loaded, recorded in a few lines of plain JavaScript so that the page's first paint does
// not wait for the agent. The Rust agent starts later (extension/content.js says when) and
// takes over through `handOver()`; its buffered observers deliver every other entry recorded
// before it existed. Records are the entry log's own (docs/entry-log.md), written as the
// agent writes them (crates/pagevitals-agent/src/lib.rs, `lifecycle_listeners`).

/** web-vitals `src/onINP.ts` observes Event Timing from 40 ms (the agent's threshold). */
const EVENT_DURATION_THRESHOLD_MS = 40;
/**
 * The smallest threshold Event Timing allows (https://w3c.github.io/event-timing/, "16");
 * every interaction id is seen, as web-vitals' interactionCount polyfill observes them.
 */
const MIN_EVENT_DURATION_THRESHOLD_MS = 16;

/**
 * Starts recording. `onHidden` is called when the page is hidden or left, so that the agent
 * can start (and send) before the page may never run again.
 */
export function recordEarly(onHidden) {
  const records = [];
  const events = [];
  const early = {
    hidden: document.visibilityState === 'hidden',
    prerendering: document.prerendering ?? false,
    wasDiscarded: document.wasDiscarded ?? false,
    records,
    inputSeen: false,
    events,
    minInteractionId: 0,
    maxInteractionId: 0,
  };
  const off = [];
  const on = (target, type, listener) => {
    target.addEventListener(type, listener, true);
    off.push(() => target.removeEventListener(type, listener, true));
  };
  const push = (lifecycle, event, fields) => records.push({ lifecycle, time: event.timeStamp, ...fields });
  on(document, 'visibilitychange', (e) => {
    const hidden = document.visibilityState === 'hidden';
    push('visibilitychange', e, { state: hidden ? 'hidden' : 'visible' });
    if (hidden) onHidden();
  });
  on(document, 'prerenderingchange', (e) => push('prerenderingchange', e));
  on(window, 'pagehide', (e) => {
    push('pagehide', e, { persisted: e.persisted });
    onHidden();
  });
  // A restore from the back/forward cache follows a pagehide, by which time the agent runs.
  on(window, 'pageshow', (e) => push('pageshow', e, { persisted: e.persisted }));
  // web-vitals ends LCP at the first trusted keydown or click (src/onLCP.ts).
  for (const kind of ['keydown', 'click']) {
    on(window, kind, (e) => {
      if (e.isTrusted && !early.inputSeen) {
        early.inputSeen = true;
        push('input', e, { kind });
      }
    });
  }
  const take = (entries) => {
    for (const entry of entries) {
      const id = entry.interactionId;
      if (id > 0) {
        early.minInteractionId = early.minInteractionId ? Math.min(early.minInteractionId, id) : id;
        early.maxInteractionId = Math.max(early.maxInteractionId, id);
      }
      if (entry.duration >= EVENT_DURATION_THRESHOLD_MS) events.push(entry);
    }
  };
  let observer = null;
  if (PerformanceObserver.supportedEntryTypes?.includes('event')) {
    observer = new PerformanceObserver((list) => take(list.getEntries()));
    observer.observe({ type: 'event', buffered: true, durationThreshold: MIN_EVENT_DURATION_THRESHOLD_MS });
  }
  return {
    /** Stops recording and returns what was recorded, for the agent's `start`. */
    handOver() {
      if (observer) {
        take(observer.takeRecords());
        observer.disconnect();
      }
      for (const remove of off) remove();
      return early;
    },
  };
}
