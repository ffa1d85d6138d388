// The background (a module service worker in Chrome, an event page in Firefox; one manifest).
// It keeps one entry log and report per tab and page view in storage.session, so a service
// worker stopped mid-page loses nothing: every batch is appended to the stored log and the
// report rebuilt by the engine (pagevitals-core compiled to wasm).
//
// storage.session layout:
//   tab:<tabId>                 -> { current: navigationId, views: [navigationId, ...] }
//   view:<tabId>:<navigationId> -> { log, report, error }
// storage.local (kept across sessions, written by the options page):
//   budget:<origin>             -> { name, text }: the budget checked for that origin's pages;
//                                  without one, the built-in budget (every Core Web Vital good)
// A soft navigation (single-page-app route change, Chromium) starts a new report inside its
// page view's: report.softNavigations[i], with its own page, metrics and verdict.
import init, { analyzeWithBudget } from './engine/pagevitals_engine.js';
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

const engineReady = init({ module_or_path: api.runtime.getURL('engine/pagevitals_engine_bg.wasm') });

/** Per-tab promise chains, so the batches of one tab are applied in order. */
const queues = new Map();

const tabKey = (tabId) => `tab:${tabId}`;
const pendingKey = (tabId) => `pending:${tabId}`;
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

async function ingest(tabId, json) {
  const batch = JSON.parse(json);
  const navigationId = batch.page?.navigationId;
  if (typeof navigationId !== 'string' || !Array.isArray(batch.records)) return;
  const key = viewKey(tabId, navigationId);
  const {
    [key]: stored,
    [tabKey(tabId)]: tab = { views: [] },
    [pendingKey(tabId)]: pending = [],
  } = await api.storage.session.get([key, tabKey(tabId), pendingKey(tabId)]);
  let log = stored?.log;
  if (!log) {
    // A new page view: the responses seen since its document began loading come first.
    log = { ...batch, records: pending };
    await api.storage.session.remove(pendingKey(tabId));
  }
  log.page = batch.page;
  log.now = Math.max(log.now ?? 0, batch.now ?? 0);
  if (batch.interactionCount !== undefined) log.interactionCount = batch.interactionCount;
  for (const record of batch.records) log.records.push(record);
  await engineReady;
  const budget = await budgetFor(log.page.url);
  const outcome = JSON.parse(analyzeWithBudget(JSON.stringify(log), budget.name, budget.text));

  const views = tab.views.filter((id) => id !== navigationId).concat(navigationId);
  const dropped = views.splice(0, Math.max(0, views.length - MAX_VIEWS_PER_TAB));
  await api.storage.session.set({
    [key]: { log, report: outcome.report ?? null, error: outcome.error ?? null },
    [tabKey(tabId)]: { current: navigationId, views },
  });
  if (dropped.length) await api.storage.session.remove(dropped.map((id) => viewKey(tabId, id)));
  await showBadge(tabId, currentVerdict(outcome.report));
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
  await api.storage.session.remove([tabKey(tabId), pendingKey(tabId), ...keys]);
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
 * A top-level document response starts a new page view whose agent has not reported yet, so
 * its responses wait under pending:<tab> until the view's first batch arrives; later ones join
 * the tab's current view directly.
 */
async function recordResponse(details) {
  const tabId = details.tabId;
  const record = responseRecord(details);
  if (details.type === 'main_frame') {
    await api.storage.session.set({ [pendingKey(tabId)]: [record] });
    return;
  }
  const { [pendingKey(tabId)]: pending, [tabKey(tabId)]: tab } = await api.storage.session.get([
    pendingKey(tabId),
    tabKey(tabId),
  ]);
  if (pending) {
    if (pending.length < MAX_PENDING_RESPONSES) pending.push(record);
    await api.storage.session.set({ [pendingKey(tabId)]: pending });
    return;
  }
  if (!tab?.current) return;
  const key = viewKey(tabId, tab.current);
  const { [key]: view } = await api.storage.session.get(key);
  if (!view) return;
  // Appended only: the agent's batch with this response's resource entry follows and
  // rebuilds the report.
  view.log.records.push(record);
  await api.storage.session.set({ [key]: view });
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

// Observing only (no blocking): responses of top-level documents and their subresources in
// tabs; frames other than the top one are ignored, like the agent, which runs only there.
// onResponseStarted, not onCompleted: a document's response starts before any of its
// subresources can be requested, whereas its completion can come after theirs.
api.webRequest.onResponseStarted.addListener(
  (details) => {
    if (details.tabId < 0 || !inTopFrame(details)) return;
    enqueue(details.tabId, () => recordResponse(details));
  },
  { urls: ['http://*/*', 'https://*/*'] },
  ['responseHeaders'],
);

api.runtime.onMessage.addListener((message, sender) => {
  // Only our own content script in a tab's top frame may feed a report.
  if (sender.id !== api.runtime.id || !sender.tab || sender.frameId !== 0) return;
  if (message?.type !== 'pv:batch' || typeof message.json !== 'string') return;
  enqueue(sender.tab.id, () => ingest(sender.tab.id, message.json));
});

api.tabs.onRemoved.addListener((tabId) => enqueue(tabId, () => forget(tabId)));
