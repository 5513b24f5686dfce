// The page's entry: one view at a time, chosen by the address's fragment (#datasets, #training/<job>, #results/<model>...),
// so every view has a link, the back button works, and a reload stays where it was.
import { forgetKey, onKeyChange } from './api.js';
import * as datasets from './datasets.js';
import * as training from './training.js';
import * as results from './results.js';
import * as models from './models.js';
import * as predict from './predict.js';

const views = { datasets, training, results, models, predict };
let shown = null;

export function showError(error) {
  const toast = document.getElementById('toast');
  toast.textContent = error?.message ?? String(error);
  toast.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { toast.hidden = true; }, 8000);
}

async function route(moveFocus) {
  const [name, argument] = decodeURIComponent(location.hash.slice(1)).split('/');
  const view = views[name] ? name : 'datasets';
  if (shown && shown !== view) views[shown].hide?.();
  shown = view;
  for (const [key] of Object.entries(views)) document.getElementById(`view-${key}`).hidden = key !== view;
  document.querySelectorAll('nav a[data-view]').forEach(link =>
    link.dataset.view === view ? link.setAttribute('aria-current', 'page') : link.removeAttribute('aria-current'));
  document.title = `${view[0].toUpperCase()}${view.slice(1)} · EmotionApi`;
  if (moveFocus) document.getElementById(`h-${view}`).focus();
  try { await views[view].show(argument || null); } catch (error) { showError(error); }
}

onKeyChange(key => {
  document.getElementById('key-state').textContent = key ? 'API key set for this tab' : '';
  document.getElementById('key-forget').hidden = !key;
});
document.getElementById('key-forget').addEventListener('click', forgetKey);
Object.values(views).forEach(view => view.init?.());
window.addEventListener('hashchange', () => route(true));
route(false);
