// The background (a module service worker in Chrome, an event page in Firefox; one manifest).
// It keeps one entry log and report per tab and page view in storage.session, so a service
// worker stopped mid-page loses nothing: every batch is appended to the stored log and the
// report rebuilt by the engine (pagevitals-core compiled to wasm).
//
// storage.session layout:
//   tab:<tabId>                 -> { current: navigationId, views: [navigationId, ...] }
//   view:<tabId>:<navigationId> -> { log, report, error }
import init, { analyze } from './engine/pagevitals_engine.js';
import { api } from './compat.js';

/** Page views kept per tab (the current one and those before it), oldest dropped first. */
const MAX_VIEWS_PER_TAB = 5;

const engineReady = init({ module_or_path: api.runtime.getURL('engine/pagevitals_engine_bg.wasm') });

/** Per-tab promise chains, so the batches of one tab are applied in order. */
const queues = new Map();

const tabKey = (tabId) => `tab:${tabId}`;
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
  const { [key]: stored, [tabKey(tabId)]: tab = { views: [] } } = await api.storage.session.get([
    key,
    tabKey(tabId),
  ]);
  const log = stored?.log ?? { ...batch, records: [] };
  log.page = batch.page;
  log.now = Math.max(log.now ?? 0, batch.now ?? 0);
  if (batch.interactionCount !== undefined) log.interactionCount = batch.interactionCount;
  for (const record of batch.records) log.records.push(record);
  await engineReady;
  const outcome = JSON.parse(analyze(JSON.stringify(log)));

  const views = tab.views.filter((id) => id !== navigationId).concat(navigationId);
  const dropped = views.splice(0, Math.max(0, views.length - MAX_VIEWS_PER_TAB));
  await api.storage.session.set({
    [key]: { log, report: outcome.report ?? null, error: outcome.error ?? null },
    [tabKey(tabId)]: { current: navigationId, views },
  });
  if (dropped.length) await api.storage.session.remove(dropped.map((id) => viewKey(tabId, id)));
}

async function forget(tabId) {
  const { [tabKey(tabId)]: tab } = await api.storage.session.get(tabKey(tabId));
  const keys = (tab?.views ?? []).map((id) => viewKey(tabId, id));
  await api.storage.session.remove([tabKey(tabId), ...keys]);
}

api.runtime.onMessage.addListener((message, sender) => {
  // Only our own content script in a tab's top frame may feed a report.
  if (sender.id !== api.runtime.id || !sender.tab || sender.frameId !== 0) return;
  if (message?.type !== 'pv:batch' || typeof message.json !== 'string') return;
  enqueue(sender.tab.id, () => ingest(sender.tab.id, message.json));
});

api.tabs.onRemoved.addListener((tabId) => enqueue(tabId, () => forget(tabId)));
