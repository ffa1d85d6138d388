// The options page: one budget per origin, kept in storage.local as { name, text } under
// budget:<origin>. A budget is read by the engine before it is saved, so a malformed one is
// refused with the engine's message (file, line:column, JSON pointer, expected vs found, and a
// suggestion for a near-miss name), never stored.
import init, { validateBudget } from './engine/pagevitals_engine.js';
import { api } from './compat.js';

const $ = (id) => document.getElementById(id);
const engineReady = init({ module_or_path: api.runtime.getURL('engine/pagevitals_engine_bg.wasm') });
let fileName = null;

function show(message, kind) {
  $('status').textContent = message;
  $('status').className = kind;
}

function originOf(text) {
  const url = new URL(text.trim());
  if (!['http:', 'https:'].includes(url.protocol)) throw new Error('an http or https origin');
  return url.origin;
}

async function listSaved() {
  const all = await api.storage.local.get(null);
  const list = $('saved');
  list.replaceChildren();
  for (const [key, { name }] of Object.entries(all).filter(([k]) => k.startsWith('budget:'))) {
    const item = document.createElement('li');
    const link = document.createElement('button');
    link.textContent = `${key.slice('budget:'.length)} (${name})`;
    link.addEventListener('click', async () => {
      const { [key]: stored } = await api.storage.local.get(key);
      $('origin').value = key.slice('budget:'.length);
      $('budget').value = stored.text;
      fileName = stored.name;
      show('', '');
    });
    item.append(link);
    list.append(item);
  }
  if (!list.children.length) list.textContent = 'None: every site uses the built-in budget.';
}

$('file').addEventListener('change', async () => {
  const file = $('file').files[0];
  if (!file) return;
  $('budget').value = await file.text();
  fileName = file.name;
});

$('save').addEventListener('click', async () => {
  let origin;
  try {
    origin = originOf($('origin').value);
  } catch {
    show('Site: enter an http or https origin, e.g. https://example.com', 'error');
    return;
  }
  const name = fileName ?? 'budget.json';
  await engineReady;
  const result = JSON.parse(validateBudget(name, $('budget').value));
  if (result.error) {
    show(`Not saved. ${result.error.message}`, 'error');
    return;
  }
  await api.storage.local.set({ [`budget:${origin}`]: { name, text: $('budget').value } });
  show(`Saved for ${origin}: ${result.ok.format} budget, ${result.ok.budgets} budget(s). It applies from the next report.`, 'ok');
  await listSaved();
});

$('remove').addEventListener('click', async () => {
  try {
    const origin = originOf($('origin').value);
    await api.storage.local.remove(`budget:${origin}`);
    show(`Removed: ${origin} uses the built-in budget.`, 'ok');
    await listSaved();
  } catch {
    show('Site: enter an http or https origin', 'error');
  }
});

listSaved();
