// The background (a module service worker in Chrome, an event page in Firefox; one manifest).
// It keeps one entry log and report per tab in storage.session, so a service worker stopped
// mid-page loses nothing: every batch is appended to the stored log and the report rebuilt by
// the engine (pagevitals-core compiled to wasm).
import init, { analyze } from './engine/pagevitals_engine.js';
import { api } from './compat.js';

const engineReady = init({ module_or_path: api.runtime.getURL('engine/pagevitals_engine_bg.wasm') });

/** Per-tab promise chains, so the batches of one tab are applied in order. */
const queues = new Map();

const storageKey = (tabId) => `tab:${tabId}`;

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
  const key = storageKey(tabId);
  const stored = (await api.storage.session.get(key))[key];
  const sameView = stored?.log?.page?.navigationId === batch.page?.navigationId;
  const log = sameView ? stored.log : { ...batch, records: [] };
  log.page = batch.page;
  log.now = Math.max(log.now ?? 0, batch.now ?? 0);
  if (batch.interactionCount !== undefined) log.interactionCount = batch.interactionCount;
  for (const record of batch.records) log.records.push(record);
  await engineReady;
  const outcome = JSON.parse(analyze(JSON.stringify(log)));
  await api.storage.session.set({
    [key]: { log, report: outcome.report ?? null, error: outcome.error ?? null },
  });
}

api.runtime.onMessage.addListener((message, sender) => {
  // Only our own content script in a tab's top frame may feed a report.
  if (sender.id !== api.runtime.id || !sender.tab || sender.frameId !== 0) return;
  if (message?.type !== 'pv:batch' || typeof message.json !== 'string') return;
  enqueue(sender.tab.id, () => ingest(sender.tab.id, message.json));
});

api.tabs.onRemoved.addListener((tabId) => {
  enqueue(tabId, () => api.storage.session.remove(storageKey(tabId)));
});
