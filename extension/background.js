// The background (a module service worker in Chrome, an event page in Firefox; one manifest).
// It keeps one entry log and report per tab and page view in storage.session, so a service
// worker stopped mid-page loses nothing: every batch is appended to the stored log and the
// report rebuilt by the engine (pagevitals-core compiled to wasm).
//
// storage.session layout:
//   tab:<tabId>                 -> { current: navigationId, views: [navigationId, ...] }
//   pending:<tabId>             -> response records of the tab's next page view, until its
//                                  agent's first batch
//   prerender:<tabId>           -> { [frameId]: { documentId, responses } }: response records
//                                  of a page prerendering in the tab (Chromium), until it is
//                                  shown
//   prefetched:<tabId>          -> { [url]: response record }: documents a page in the tab
//                                  prefetched (Chromium speculation rules), for the page view
//                                  that is served from one
//   view:<tabId>:<navigationId> -> { log, report, error }: in all but the latest two views of
//                                  a tab, log.records is let go (log.released: true) and the
//                                  report no longer changes
// storage.local (kept across sessions, written by the options page):
//   budget:<origin>             -> { name, text }: the budget checked for that origin's pages;
//                                  without one, the built-in budget (every Core Web Vital good)
// A soft navigation (single-page-app route change, Chromium) starts a new report inside its
// page view's: report.softNavigations[i], with its own page, metrics and verdict.
import init, { analyzeWithBudget, compactLog } from './engine/pagevitals_engine.js';
import { api } from './compat.js';
import { BADGE_COLORS, badgeText } from './badge.js';

/** Page views kept per tab (the current one and those before it), oldest dropped first. */
const MAX_VIEWS_PER_TAB = 5;

/**
 * The response headers that matter for caching, compression and backend timing: the only
 * header values PageVitals ever stores. Cookies, authorization and everything else are
 * dropped as the response is seen.
 */
const KEPT_HEADERS = new Set([
  'cache-control',
  'expires',
  'etag',
  'last-modified',
  'age',
  'vary',
  'content-encoding',
  'content-length',
  'content-type',
  'server-timing',
  'timing-allow-origin',
]);

/** Responses kept per tab while its new page view has not reported yet. */
const MAX_PENDING_RESPONSES = 500;

/** Prerendering pages per tab whose responses are kept (the latest), each up to the above. */
const MAX_PRERENDERS_PER_TAB = 2;

/** Prefetched document responses kept per tab (the latest). */
const MAX_PREFETCHED_PER_TAB = 4;

const engineReady = init({ module_or_path: api.runtime.getURL('engine/pagevitals_engine_bg.wasm') });

/**
 * Page views whose log is kept (the current one and the one before, which may still send its
 * last batch); older ones keep only their report. With the log's own bound
 * (`CompactLimits::DEFAULT` in pagevitals-core, about 4.4 MB of records) this keeps one tab's
 * logs under 9 MB however hostile its pages are.
 */
const LOGS_KEPT_PER_TAB = 2;

/**
 * A log is compacted (pagevitals-core `log::compact`: whole kinds capped, layout shifts reduced
 * to the session windows that matter) once it holds more records or JSON than this; below
 * it nothing can be over a cap that matters, and the log is kept whole.
 */
const COMPACT_RECORDS = 2_000;
const COMPACT_BYTES = 2 * 1024 * 1024;

/** Per-tab promise chains, so the work of one tab is done in order. */
const queues = new Map();

/**
 * Per-tab inboxes: what arrived (agent batches and responses, in arrival order) and waits
 * for the tab's next drain. However fast a page sends, each drain applies everything waiting,
 * then rebuilds each report it touched once: work grows with what arrives, not with
 * (arrivals x log size).
 */
const inboxes = new Map();

const tabKey = (tabId) => `tab:${tabId}`;
const pendingKey = (tabId) => `pending:${tabId}`;
const prerenderKey = (tabId) => `prerender:${tabId}`;
const prefetchedKey = (tabId) => `prefetched:${tabId}`;
const viewKey = (tabId, navigationId) => `view:${tabId}:${navigationId}`;

function enqueue(tabId, task) {
  const next = (queues.get(tabId) ?? Promise.resolve()).then(task).catch((error) => {
    console.error('PageVitals background:', error);
  });
  queues.set(tabId, next);
  next.then(() => {
    if (queues.get(tabId) === next) queues.delete(tabId);
  });
}

/** Puts `item` in the tab's inbox, starting a drain unless one is already waiting. */
function deliver(tabId, item) {
  const inbox = inboxes.get(tabId);
  if (inbox) {
    inbox.push(item);
    return;
  }
  inboxes.set(tabId, [item]);
  enqueue(tabId, () => {
    const items = inboxes.get(tabId);
    inboxes.delete(tabId);
    return drain(tabId, items);
  });
}

/**
 * Applies what arrived for a tab, in order. A top-level document response starts a new page
 * view whose agent has not reported yet, so responses wait under pending:<tab> until the
 * view's first batch arrives; later ones join the tab's current view directly. A prerendering
 * page's responses wait under prerender:<tab>, by frame, until a page view's first batch comes
 * from that document (Chromium's `documentId`), which its agent sends only once it is shown.
 * A document a page prefetched (its response comes with the prefetching page's `documentId`,
 * whereas a navigation's has none) starts no page view; it waits by URL for the view served
 * from it, whose own document response webRequest may never see.
 * Each view that got a batch has its log compacted if it must be and its report rebuilt, once.
 */
async function drain(tabId, items) {
  const {
    [tabKey(tabId)]: tab = { views: [] },
    [pendingKey(tabId)]: storedPending,
    [prerenderKey(tabId)]: prerenders = {},
    [prefetchedKey(tabId)]: prefetched = {},
  } = await api.storage.session.get([tabKey(tabId), pendingKey(tabId), prerenderKey(tabId), prefetchedKey(tabId)]);
  let pending = storedPending ?? null;
  let pendingChanged = false;
  let prerendersChanged = false;
  let prefetchedChanged = false;
  /** navigationId -> { view: {log, report, error}, analyze: boolean }, as loaded or made. */
  const touched = new Map();
  const load = async (navigationId) => {
    if (!touched.has(navigationId)) {
      const key = viewKey(tabId, navigationId);
      const { [key]: view } = await api.storage.session.get(key);
      touched.set(navigationId, { view: view ?? null, analyze: false });
    }
    return touched.get(navigationId);
  };

  for (const item of items) {
    if (item.prefetched) {
      delete prefetched[item.prefetched.url];
      prefetched[item.prefetched.url] = responseRecord(item.prefetched); // last: kept longest
      for (const old of Object.keys(prefetched).slice(0, -MAX_PREFETCHED_PER_TAB)) delete prefetched[old];
      prefetchedChanged = true;
      continue;
    }
    if (item.prerender !== undefined) {
      const frame = `f${item.prerender}`; // not an integer key: kept in insertion order
      const stash = prerenders[frame] ?? { documentId: null, responses: [] };
      // A prerendering page's document response comes before its document exists; its
      // subresources' responses carry the document's id.
      stash.documentId ??= item.response.documentId ?? null;
      if (stash.responses.length < MAX_PENDING_RESPONSES) stash.responses.push(responseRecord(item.response));
      delete prerenders[frame];
      prerenders[frame] = stash; // last: the latest frames are the ones kept
      for (const old of Object.keys(prerenders).slice(0, -MAX_PRERENDERS_PER_TAB)) delete prerenders[old];
      prerendersChanged = true;
      continue;
    }
    if (item.response) {
      const record = responseRecord(item.response);
      if (item.response.type === 'main_frame') {
        pending = [record];
        pendingChanged = true;
      } else if (pending) {
        if (pending.length < MAX_PENDING_RESPONSES) pending.push(record);
        pendingChanged = true;
      } else if (tab.current) {
        // Appended only: the agent's batch with this response's resource entry follows and
        // rebuilds the report.
        const { view } = await load(tab.current);
        if (view && !view.log.released) view.log.records.push(record);
      }
      continue;
    }
    const batch = JSON.parse(item.json);
    const navigationId = batch.page?.navigationId;
    if (typeof navigationId !== 'string' || !Array.isArray(batch.records)) continue;
    const entry = await load(navigationId);
    if (entry.view?.log.released) continue; // an old view whose records were let go
    if (!entry.view && item.left) continue; // a page left before its view began
    if (!entry.view) {
      // A new page view: the responses seen since its document began loading come first; for
      // a page that was prerendered, those seen while it prerendered.
      const frame = item.documentId && Object.keys(prerenders).find((f) => prerenders[f].documentId === item.documentId);
      let responses = (frame ? prerenders[frame].responses : pending) ?? [];
      if (frame) {
        delete prerenders[frame];
        prerendersChanged = true;
      }
      const document = prefetched[batch.page.url];
      if (document && !responses.some((r) => r.response.type === 'main_frame')) {
        responses = [document, ...responses];
        delete prefetched[batch.page.url];
        prefetchedChanged = true;
      }
      entry.view = { log: { ...batch, records: responses }, report: null, error: null };
      pending = null;
      pendingChanged = true;
    }
    const log = entry.view.log;
    log.page = batch.page;
    log.now = Math.max(log.now ?? 0, batch.now ?? 0);
    if (batch.interactionCount !== undefined) log.interactionCount = batch.interactionCount;
    if (batch.agentCost !== undefined) log.agentCost = batch.agentCost;
    for (const record of batch.records) log.records.push(record);
    entry.analyze = true;
    if (item.left) continue;
    tab.views = tab.views.filter((id) => id !== navigationId).concat(navigationId);
    tab.current = navigationId;
  }

  await engineReady;
  let current; // the current view's report, if it was rebuilt
  const writes = {};
  for (const [navigationId, { view, analyze }] of touched) {
    if (!view) continue;
    if (analyze) {
      const report = await rebuild(view);
      if (navigationId === tab.current) current = report;
    }
    writes[viewKey(tabId, navigationId)] = view;
  }
  const dropped = tab.views.splice(0, Math.max(0, tab.views.length - MAX_VIEWS_PER_TAB));
  writes[tabKey(tabId)] = tab;
  if (pendingChanged && pending) writes[pendingKey(tabId)] = pending;
  const prerendering = Object.keys(prerenders).length > 0;
  if (prerendersChanged && prerendering) writes[prerenderKey(tabId)] = prerenders;
  const anyPrefetched = Object.keys(prefetched).length > 0;
  if (prefetchedChanged && anyPrefetched) writes[prefetchedKey(tabId)] = prefetched;
  await store(writes);
  if (pendingChanged && !pending) await api.storage.session.remove(pendingKey(tabId));
  if (prerendersChanged && !prerendering) await api.storage.session.remove(prerenderKey(tabId));
  if (prefetchedChanged && !anyPrefetched) await api.storage.session.remove(prefetchedKey(tabId));
  if (dropped.length) await api.storage.session.remove(dropped.map((id) => viewKey(tabId, id)));
  await letGoOfOldLogs(tabId, tab.views);
  if (current !== undefined) await showBadge(tabId, currentVerdict(current));
}

/** Compacts the view's log if it must be, then rebuilds its report; returns the report. */
async function rebuild(view) {
  let text = JSON.stringify(view.log);
  if (view.log.records.length > COMPACT_RECORDS || text.length > COMPACT_BYTES) {
    const compacted = JSON.parse(compactLog(text));
    if (compacted.log) {
      text = compacted.log;
      view.log = JSON.parse(text);
    }
  }
  const budget = await budgetFor(view.log.page.url);
  const outcome = JSON.parse(analyzeWithBudget(text, budget.name, budget.text));
  view.report = outcome.report ?? null;
  view.error = outcome.error ?? null;
  return view.report;
}

/**
 * Writes to storage.session. Past its quota (10 MB in Chromium, shared by every tab), the
 * views are written without their logs: each keeps its latest report, which stops updating,
 * and says why.
 */
async function store(writes) {
  try {
    await api.storage.session.set(writes);
  } catch (error) {
    for (const [key, value] of Object.entries(writes)) {
      if (key.startsWith('view:') && !value.log.released) {
        value.log = release(value.log);
        value.error = {
          record: null,
          path: '.',
          message: `storage is full, so this page view's report is no longer updated (${error.message ?? error})`,
        };
      }
    }
    await api.storage.session.set(writes);
  }
}

/** The log without its records: what a view keeps once its report can no longer change. */
function release(log) {
  return { ...log, records: [], released: true };
}

/** Keeps the logs of the latest [`LOGS_KEPT_PER_TAB`] views only; older views keep their report. */
async function letGoOfOldLogs(tabId, views) {
  const old = views.slice(0, Math.max(0, views.length - LOGS_KEPT_PER_TAB)).map((id) => viewKey(tabId, id));
  if (!old.length) return;
  const stored = await api.storage.session.get(old);
  const writes = {};
  for (const [key, view] of Object.entries(stored)) {
    if (view && !view.log.released) writes[key] = { ...view, log: release(view.log) };
  }
  if (Object.keys(writes).length) await api.storage.session.set(writes);
}

/**
 * The verdict of what the user is looking at: in a single-page app after a soft navigation,
 * the latest route's (each soft navigation starts a report of its own, kept in the page
 * view's report under `softNavigations`); otherwise the page view's.
 */
function currentVerdict(report) {
  const route = report?.softNavigations?.at(-1);
  return route ? route.verdict : report?.verdict;
}

/** The budget for a page's origin (options page), or the built-in one (empty text). */
async function budgetFor(url) {
  let origin;
  try {
    origin = new URL(url).origin;
  } catch {
    return { name: 'built-in', text: '' };
  }
  const key = `budget:${origin}`;
  const { [key]: stored } = await api.storage.local.get(key);
  return stored?.text ? stored : { name: 'built-in', text: '' };
}

/** Shows the verdict (the worst Core Web Vital so far) on the tab's toolbar button. */
async function showBadge(tabId, verdict) {
  const text = verdict ? badgeText(verdict) : '';
  await api.action.setBadgeText({ tabId, text });
  if (verdict) {
    await api.action.setBadgeBackgroundColor({ tabId, color: BADGE_COLORS[verdict.rating] });
    await api.action.setTitle({
      tabId,
      title: `PageVitals: ${verdict.metric} ${text} (${verdict.rating.replace('-', ' ')})`,
    });
  }
}

async function forget(tabId) {
  const { [tabKey(tabId)]: tab } = await api.storage.session.get(tabKey(tabId));
  const keys = (tab?.views ?? []).map((id) => viewKey(tabId, id));
  await api.storage.session.remove([tabKey(tabId), pendingKey(tabId), prerenderKey(tabId), prefetchedKey(tabId), ...keys]);
}

/** The log record for a response: its whitelisted headers and nothing else. */
function responseRecord(details) {
  const headers = {};
  for (const { name, value } of details.responseHeaders ?? []) {
    const key = name.toLowerCase();
    if (KEPT_HEADERS.has(key) && value !== undefined) {
      // Repeated headers combine as HTTP says they may: comma-separated.
      headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    }
  }
  return {
    response: {
      url: details.url,
      status: details.statusCode,
      fromCache: Boolean(details.fromCache),
      type: details.type,
      headers,
    },
  };
}

/**
 * Whether a request belongs to the tab's top frame. Usually its `frameId` is 0, but Chromium
 * 156 occasionally reports a subresource of the top document, requested as the document
 * commits, with another `frameId` (and an empty `documentLifecycle`); its `parentFrameId` of -1
 * still says it has no parent. That is also true of a prerendering page and of fenced frames,
 * which are not what the user sees (`documentLifecycle`, `frameType`: Chromium only, absent
 * elsewhere).
 */
function inTopFrame(details) {
  if (details.frameId === 0) return true;
  return details.parentFrameId === -1 && details.documentLifecycle !== 'prerender' && details.frameType !== 'fenced_frame';
}

/** Whether a request belongs to a top-level page prerendering in the tab (Chromium). */
function inPrerenderingPage(details) {
  return details.parentFrameId === -1 && details.documentLifecycle === 'prerender' && details.frameType !== 'fenced_frame';
}

// Observing only (no blocking): responses of top-level documents and their subresources in
// tabs; frames other than the top one are ignored, like the agent, which runs only there.
// onResponseStarted, not onCompleted: a document's response starts before any of its
// subresources can be requested, whereas its completion can come after theirs.
api.webRequest.onResponseStarted.addListener(
  (details) => {
    if (details.tabId < 0) return;
    if (details.type === 'main_frame' && details.documentId) deliver(details.tabId, { prefetched: details });
    else if (inPrerenderingPage(details)) deliver(details.tabId, { response: details, prerender: details.frameId });
    else if (inTopFrame(details)) deliver(details.tabId, { response: details });
  },
  { urls: ['http://*/*', 'https://*/*'] },
  ['responseHeaders'],
);

api.runtime.onMessage.addListener((message, sender) => {
  // Only our own content script may feed a report. It runs in top-level documents only
  // (`all_frames` is off). One that is not the tab's page now has another frameId in
  // Chromium: a prerendering page (its agent sends nothing until it is shown), or the page
  // just left, going into the back/forward cache. The latter's last batches still count:
  // when a prerendered page is shown, the page before is hidden and cached at once, and its
  // pagehide and final entries arrive from there. They join its own view, which they do not
  // make the tab's current one again.
  if (sender.id !== api.runtime.id || !sender.tab) return;
  const left = sender.frameId !== 0;
  if (left && sender.documentLifecycle !== 'cached') return;
  if (message?.type !== 'pv:batch' || typeof message.json !== 'string') return;
  deliver(sender.tab.id, { json: message.json, left, documentId: sender.documentId });
});

api.tabs.onRemoved.addListener((tabId) => enqueue(tabId, () => forget(tabId)));
