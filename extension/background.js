// The background (a module service worker in Chrome, an event page in Firefox; one manifest).
// It keeps one entry log and report per tab and page view in storage.session, so a service
// worker stopped mid-page loses nothing: every batch is appended to the stored log and the
// report rebuilt by the engine (pagevitals-core compiled to wasm).
//
// storage.session layout:
//   tab:<tabId>                 -> { current, views: [navigationId, ...], starts: {navigationId:
//                                  ms}, currentDocument, claimed, seq, closedAt }: the views
//                                  in the order they began (`starts`: time origin plus the
//                                  restore time); the current one is the latest to begin
//   pending:<tabId>             -> [{ seq, url, documentId, responses }]: per document whose
//                                  page view has not begun (its agent's first batch has not
//                                  arrived), its response records, oldest document first
//   closed                      -> [tabId, ...]: closed tabs whose views are still kept, the
//                                  latest last
//   prerender:<tabId>           -> { [frameId]: { documentId, responses } }: response records
//                                  of a page prerendering in the tab (Chromium), until it is
//                                  shown
//   prefetched:<tabId>          -> { [url]: response record }: documents a page in the tab
//                                  prefetched (Chromium speculation rules), for the page view
//                                  that is served from one
//   view:<tabId>:<navigationId> -> { log, report, error }: in all but the latest two views of
//                                  a tab, log.records is let go (log.released: true) and the
//                                  report no longer changes
// storage.local (kept across sessions):
//   budget:<origin>             -> { name, text }: the budget checked for that origin's pages;
//                                  without one, the built-in budget (every Core Web Vital good);
//                                  written by the options page
//   outbox:<timeOrigin>-<n>     -> a batch a page sent as it was left (content.js): removed
//                                  when its message comes, else taken out and removed a moment
//                                  after the background sees it (OUTBOX_GRACE_MS)
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

/** Responses kept per document while its page view has not reported yet. */
const MAX_PENDING_RESPONSES = 500;

/**
 * Documents per tab whose responses wait for their page view's first batch. A page left before
 * its agent's first batch arrived sends that batch as it leaves, after the next document's
 * response: both wait at once.
 */
const MAX_PENDING_DOCUMENTS = 3;

/**
 * Closed tabs whose page views are kept (the latest closed): a page left by closing its tab
 * still has its report. Only the latest closed tab keeps its logs, for a batch that arrives
 * after the tab closed; the others keep their reports.
 */
const MAX_CLOSED_TABS = 4;

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

/**
 * Outbox keys this background has taken, from the outbox or as a message's `key` (each is
 * written once: its page's time origin and a count). The other copy of a batch comes within
 * moments of the first, so only the latest keys are remembered.
 */
const taken = new Set();
const MAX_TAKEN_KEYS = 256;

/** Remembers an outbox key as taken, forgetting the oldest past the bound. */
function markTaken(key) {
  taken.add(key);
  for (const old of taken) {
    if (taken.size <= MAX_TAKEN_KEYS) break;
    taken.delete(old);
  }
}

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
const CLOSED_KEY = 'closed';

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
 * Applies what arrived for a tab, in order. A top-level document response starts a document
 * whose page view has not begun: its responses wait under pending:<tab>, by document, until
 * the view's first batch arrives (and find it by Chromium's `documentId`, else by URL); later
 * ones join the view directly. A page left before its first batch arrived sends it as it
 * leaves, often after the next document's response: its responses are still waiting for it.
 * A prerendering page's responses wait under prerender:<tab>, by frame, until a page view's
 * first batch comes from that document (Chromium's `documentId`), which its agent sends only
 * once it is shown. A document a page prefetched (its response comes with the prefetching
 * page's `documentId`, whereas a navigation's has none) starts no page view; it waits by URL
 * for the view served from it, whose own document response webRequest may never see.
 * The views are kept in the order they began, and the current one is the latest to begin, so
 * a left page's last batch, however late, never makes its view current again.
 * Each view that got a batch has its log compacted if it must be and its report rebuilt, once.
 */
async function drain(tabId, items) {
  const {
    [tabKey(tabId)]: tab = { views: [] },
    [pendingKey(tabId)]: storedPending,
    [prerenderKey(tabId)]: prerenders = {},
    [prefetchedKey(tabId)]: prefetched = {},
  } = await api.storage.session.get([tabKey(tabId), pendingKey(tabId), prerenderKey(tabId), prefetchedKey(tabId)]);
  // Stored before per-document stashes as one list of the next document's responses.
  const pending = Array.isArray(storedPending?.[0]?.responses) ? storedPending : [];
  tab.starts ??= {};
  tab.seq ??= 0;
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
      const documentId = item.response.documentId ?? null;
      if (item.response.type === 'main_frame') {
        tab.seq += 1;
        pending.push({ seq: tab.seq, url: withoutHash(item.response.url), documentId: null, responses: [record] });
        pending.splice(0, Math.max(0, pending.length - MAX_PENDING_DOCUMENTS));
        pendingChanged = true;
        continue;
      }
      // A subresource: of a document still waiting for its view (by its id, else the newest
      // document, if that began after the current view's), or of the current view.
      const newest = pending.at(-1);
      let stash = documentId === null ? undefined : pending.find((p) => p.documentId === documentId);
      if (!stash && newest && (documentId === null || documentId !== tab.currentDocument) && newest.seq > (tab.claimed ?? 0)) {
        stash = newest;
        stash.documentId ??= documentId;
      }
      if (stash) {
        if (stash.responses.length < MAX_PENDING_RESPONSES) stash.responses.push(record);
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
    // A view belongs to the document that began it: no other document writes to it.
    if (entry.view?.documentId && item.documentId && entry.view.documentId !== item.documentId) continue;
    if (!entry.view) {
      // A new page view: the responses seen since its document began loading come first; for
      // a page that was prerendered, those seen while it prerendered.
      const frame = item.documentId && Object.keys(prerenders).find((f) => prerenders[f].documentId === item.documentId);
      let responses = [];
      let claimed = null;
      if (frame) {
        responses = prerenders[frame].responses;
        delete prerenders[frame];
        prerendersChanged = true;
      } else {
        const url = withoutHash(batch.page.url ?? '');
        claimed =
          (item.documentId && pending.find((p) => p.documentId === item.documentId)) ??
          pending.find((p) => p.url === url) ??
          (item.left ? null : (pending.at(-1) ?? null));
        if (claimed) {
          responses = claimed.responses;
          pending.splice(pending.indexOf(claimed), 1);
          pendingChanged = true;
        }
      }
      const document = prefetched[batch.page.url];
      if (document && !responses.some((r) => r.response.type === 'main_frame')) {
        responses = [document, ...responses];
        delete prefetched[batch.page.url];
        prefetchedChanged = true;
      }
      entry.view = { log: { ...batch, records: responses }, report: null, error: null, documentId: item.documentId ?? null };
      const start = (batch.page.timeOrigin ?? 0) + (batch.page.restoredAt ?? 0);
      tab.starts[navigationId] = start;
      tab.views = tab.views.filter((id) => id !== navigationId).concat(navigationId);
      tab.views.sort((a, b) => (tab.starts[a] ?? 0) - (tab.starts[b] ?? 0));
      if (!tab.current || start >= (tab.starts[tab.current] ?? 0)) {
        tab.current = navigationId;
        tab.currentDocument = item.documentId ?? null;
        if (claimed) tab.claimed = Math.max(tab.claimed ?? 0, claimed.seq);
      }
    }
    const log = entry.view.log;
    log.page = batch.page;
    log.now = Math.max(log.now ?? 0, batch.now ?? 0);
    if (batch.interactionCount !== undefined) log.interactionCount = batch.interactionCount;
    if (batch.agentCost !== undefined) log.agentCost = batch.agentCost;
    for (const record of batch.records) log.records.push(record);
    entry.analyze = true;
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
  // The oldest views past the bound go first, and a view dropped as soon as it began is never
  // written: storage never holds more than the bound of a tab's views.
  const dropped = tab.views.splice(0, Math.max(0, tab.views.length - MAX_VIEWS_PER_TAB));
  for (const id of dropped) {
    delete tab.starts[id];
    delete writes[viewKey(tabId, id)];
  }
  if (dropped.length) await api.storage.session.remove(dropped.map((id) => viewKey(tabId, id)));
  writes[tabKey(tabId)] = tab;
  if (pendingChanged && pending.length) writes[pendingKey(tabId)] = pending;
  const prerendering = Object.keys(prerenders).length > 0;
  if (prerendersChanged && prerendering) writes[prerenderKey(tabId)] = prerenders;
  const anyPrefetched = Object.keys(prefetched).length > 0;
  if (prefetchedChanged && anyPrefetched) writes[prefetchedKey(tabId)] = prefetched;
  await store(writes);
  if (pendingChanged && !pending.length) await api.storage.session.remove(pendingKey(tabId));
  if (prerendersChanged && !prerendering) await api.storage.session.remove(prerenderKey(tabId));
  if (prefetchedChanged && !anyPrefetched) await api.storage.session.remove(prefetchedKey(tabId));
  await letGoOfOldLogs(tabId, tab.views);
  if (current !== undefined && !tab.closedAt) await showBadge(tabId, currentVerdict(current));
}

/** A URL without its fragment: what a document's response and its `location.href` share. */
function withoutHash(url) {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
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

/** Keeps the logs of the latest `kept` views only; older views keep their report. */
async function letGoOfOldLogs(tabId, views, kept = LOGS_KEPT_PER_TAB) {
  const old = views.slice(0, Math.max(0, views.length - kept)).map((id) => viewKey(tabId, id));
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

/**
 * A tab closed: its page views stay, so that a page left by closing its tab keeps its report
 * (its last batch may still be on its way, or its first: its responses keep waiting for it).
 * The logs of its views that were unloaded, of the tabs closed before it, and the tabs closed
 * longest ago go.
 */
async function retire(tabId) {
  const { [tabKey(tabId)]: tab, [CLOSED_KEY]: closed = [] } = await api.storage.session.get([tabKey(tabId), CLOSED_KEY]);
  await api.storage.session.remove([prerenderKey(tabId), prefetchedKey(tabId)]);
  if (!tab) return;
  const earlier = closed.filter((id) => id !== tabId);
  await api.storage.session.set({ [tabKey(tabId)]: { ...tab, closedAt: Date.now() }, [CLOSED_KEY]: [...earlier, tabId].slice(-MAX_CLOSED_TABS) });
  // A view whose page was unloaded (its pagehide, not into the back/forward cache, arrived)
  // gets nothing more: its log goes now.
  const keys = tab.views.map((id) => viewKey(tabId, id));
  const stored = await api.storage.session.get(keys);
  const unloaded = {};
  for (const [key, view] of Object.entries(stored)) {
    const over = view?.log.records?.some((r) => r.lifecycle === 'pagehide' && !r.persisted);
    if (over && !view.log.released) unloaded[key] = { ...view, log: release(view.log) };
  }
  if (Object.keys(unloaded).length) await api.storage.session.set(unloaded);
  for (const id of earlier.slice(0, -(MAX_CLOSED_TABS - 1))) enqueue(id, () => forget(id));
  for (const id of earlier.slice(-(MAX_CLOSED_TABS - 1))) {
    enqueue(id, async () => {
      const { [tabKey(id)]: old } = await api.storage.session.get(tabKey(id));
      await letGoOfOldLogs(id, old?.views ?? [], 0);
    });
  }
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

/**
 * Lifecycles of a top-level document that is no longer the tab's page (Chromium): going into
 * the back/forward cache, or being unloaded. Its last batches (pagehide, the hidden state, its
 * final entries, or the first batch of a page left very early) arrive from there.
 */
const LEFT_LIFECYCLES = new Set(['cached', 'pending_deletion']);

api.runtime.onMessage.addListener((message, sender) => {
  // Only our own content script may feed a report. It runs in top-level documents only
  // (`all_frames` is off). One that is not the tab's page now has another frameId in
  // Chromium: a prerendering page (its agent sends nothing until it is shown), or the page
  // just left, going into the back/forward cache or being unloaded. The latter's batches
  // still count: a page left before its first batch arrived sends everything as it leaves,
  // and when a prerendered page is shown, the page before is hidden and cached at once. They
  // join their own view (bound to its document), which never becomes the tab's current one
  // again: the current view is the latest to begin.
  if (sender.id !== api.runtime.id) return;
  if (message?.type !== 'pv:batch' || typeof message.json !== 'string') return;
  // A batch sent as its page was left comes twice, as this message and through the outbox:
  // the first one taken counts. (A message from a document already gone may say too little of
  // its sender to be taken: then the outbox's copy counts.)
  const take = () => {
    const key = message.key;
    if (typeof key !== 'string' || !key.startsWith('outbox:')) return true;
    if (taken.has(key)) return false;
    markTaken(key);
    api.storage.local.remove(key).catch(() => {});
    return true;
  };
  if (!sender.tab) {
    // Firefox delivers the last batches of a page whose tab is closing after the tab is gone,
    // without it: they go to the closed tab they belong to, if any.
    tabOfBatch(message.json).then((tabId) => tabId !== null && take() && deliver(tabId, { json: message.json, left: true }));
    return;
  }
  const left = sender.frameId !== 0 || LEFT_LIFECYCLES.has(sender.documentLifecycle);
  if (sender.frameId !== 0 && !LEFT_LIFECYCLES.has(sender.documentLifecycle)) return;
  if (take()) deliver(sender.tab.id, { json: message.json, left, documentId: sender.documentId });
});

/**
 * The tab a batch without a sender tab belongs to (a page in a closing tab, or a batch from the
 * outbox): the tab that already has its page view, or whose next document (still waiting for
 * its view) is the batch's page; closed tabs first, the latest closed first, then open ones.
 * Looked up once every tab's queued work (a closed tab's retirement among it) is done.
 */
async function tabOfBatch(json, { open = false } = {}) {
  let page;
  try {
    ({ page } = JSON.parse(json));
  } catch {
    return null;
  }
  if (typeof page?.navigationId !== 'string') return null;
  await Promise.all([...queues.values()]);
  const { [CLOSED_KEY]: closed = [] } = await api.storage.session.get(CLOSED_KEY);
  const opened = open ? (await api.tabs.query({})).map((t) => t.id).filter((id) => !closed.includes(id)) : [];
  for (const tabId of [...[...closed].reverse(), ...opened]) {
    const { [tabKey(tabId)]: tab, [pendingKey(tabId)]: pending } = await api.storage.session.get([tabKey(tabId), pendingKey(tabId)]);
    if (tab?.views.includes(page.navigationId)) return tabId;
    if (Array.isArray(pending) && pending.some((p) => p.url === withoutHash(String(page.url)))) return tabId;
  }
  return null;
}

api.tabs.onRemoved.addListener((tabId) => enqueue(tabId, () => retire(tabId)));

/**
 * How long a batch's outbox copy waits for its message: the message, when it comes at all,
 * comes within moments and names its tab (its sender's), whereas the outbox copy has to look
 * its tab up, and finds none for a tab closed that moment whose removal is not handled yet.
 * Taken first, it then dropped the batch, and the message that followed was dropped as already
 * taken: a tab closed right after `load` lost its page view (Chromium: 2 of 40 closes with
 * scripts/lib/closed-tabs.mjs, 5 of 20 in a diagnostic run; docs/metrics.md).
 */
const OUTBOX_GRACE_MS = 1_000;

/**
 * Batches a page sent as it was left, through storage.local (content.js), unless their message
 * came first: each is removed and delivered to its tab. Also those written while the background
 * was not running, when it starts.
 */
async function takeOutbox(entries) {
  // A background woken by the change sees it twice: as the change, and in its start-up read.
  const untaken = () => entries.filter(([key, json]) => key.startsWith('outbox:') && typeof json === 'string' && !taken.has(key));
  if (!untaken().length) return;
  await new Promise((resolve) => setTimeout(resolve, OUTBOX_GRACE_MS));
  const batches = untaken();
  if (!batches.length) return;
  for (const [key] of batches) markTaken(key);
  await api.storage.local.remove(batches.map(([key]) => key));
  for (const [, json] of batches) {
    const tabId = await tabOfBatch(json, { open: true });
    if (tabId !== null) deliver(tabId, { json, left: true });
  }
}

api.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  takeOutbox(Object.entries(changes).map(([key, change]) => [key, change.newValue]));
});
api.storage.local.get(null).then((all) => takeOutbox(Object.entries(all)));
