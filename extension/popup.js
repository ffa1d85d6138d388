// A minimal popup: the current tab's metrics, live. The Leptos popup replaces it (issue 7).
import { api } from './compat.js';

const [tab] = await api.tabs.query({ active: true, currentWindow: true });
const key = tab ? `tab:${tab.id}` : null;
const currentView = async (index) =>
  index?.current ? (await api.storage.session.get(`view:${tab.id}:${index.current}`))[`view:${tab.id}:${index.current}`] : null;

function render(state) {
  const status = document.querySelector('[data-testid=status]');
  const body = document.querySelector('[data-testid=metrics] tbody');
  body.replaceChildren();
  if (state?.error) {
    status.textContent = `Could not read this page's log: ${state.error.message}`;
    return;
  }
  const metrics = state?.report?.metrics ?? {};
  const names = Object.keys(metrics);
  status.textContent = names.length ? state.report.page.url : 'No data yet for this tab.';
  for (const name of names) {
    const m = metrics[name];
    const row = body.insertRow();
    row.insertCell().textContent = name;
    const value = row.insertCell();
    value.textContent = name === 'CLS' ? m.value.toFixed(3) : `${Math.round(m.value)} ms`;
    value.className = m.rating;
  }
}

if (key) {
  render(await currentView((await api.storage.session.get(key))[key]));
  api.storage.session.onChanged?.addListener(async (changes) => {
    if (Object.keys(changes).some((k) => k === key || k.startsWith(`view:${tab.id}:`))) {
      render(await currentView((await api.storage.session.get(key))[key]));
    }
  });
}
