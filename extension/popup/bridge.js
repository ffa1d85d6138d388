// The popup's only contact with the WebExtension API, imported by the Leptos popup's
// wasm-bindgen glue (crates/pagevitals-popup/src/bridge.rs). Everything crosses as JSON text;
// what to show is decided in Rust.
import { api } from '../compat.js';

/**
 * The tab the popup shows: `popup.html?tab=<id>` when given (tests, the benchmark, a popup
 * opened as a page), else the active tab of the current window. JSON `{id, url}`, or null.
 * `url` is there only for pages the host permissions cover (http and https).
 */
export async function targetTab() {
  const given = new URLSearchParams(location.search).get('tab');
  const tab =
    given !== null
      ? await api.tabs.get(Number(given)).catch(() => null)
      : (await api.tabs.query({ active: true, currentWindow: true }))[0];
  return tab ? JSON.stringify({ id: tab.id, url: tab.url ?? null }) : null;
}

/**
 * The tab's current page view from storage.session (layout in background.js): JSON
 * `{report, error, shifts}` with the report as the stored object's JSON text and the log's
 * layout-shift records; null before the first report.
 */
export async function readView(tabId) {
  const tabKey = `tab:${tabId}`;
  const { [tabKey]: index } = await api.storage.session.get(tabKey);
  if (!index?.current) return null;
  const key = `view:${tabId}:${index.current}`;
  const { [key]: view } = await api.storage.session.get(key);
  if (!view) return null;
  return JSON.stringify({
    report: view.report ? JSON.stringify(view.report) : null,
    error: view.error ?? null,
    shifts: (view.log?.records ?? []).filter((r) => r.entryType === 'layout-shift'),
  });
}

/** Calls `onChange()` whenever the tab's index or one of its page views changes. */
export function watch(tabId, onChange) {
  const tabKey = `tab:${tabId}`;
  const prefix = `view:${tabId}:`;
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && Object.keys(changes).some((k) => k === tabKey || k.startsWith(prefix))) {
      onChange();
    }
  });
}

/**
 * Runs an overlay command (JSON, see crates/pagevitals-popup/src/shifts.rs) in the tab:
 * injects extension/overlay.js on first use (nothing of it runs in the page before), then
 * hands it the command. Needs the `scripting` permission and host access to the page.
 */
export async function overlay(tabId, command) {
  await api.scripting.executeScript({ target: { tabId }, files: ['overlay.js'] });
  await api.scripting.executeScript({
    target: { tabId },
    func: (c) => globalThis.pageVitalsOverlay(c),
    args: [JSON.parse(command)],
  });
}

/** Puts `text` on the clipboard (the click that asked for it is the user activation). */
export async function copy(text) {
  await navigator.clipboard.writeText(text);
}

/** Offers `text` as a file download named `name`. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Long enough for the browser to start the download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Marks the first render with the tab's state, for scripts/bench-popup. */
export function rendered() {
  if (!performance.getEntriesByName('pv:rendered').length) performance.mark('pv:rendered');
}
