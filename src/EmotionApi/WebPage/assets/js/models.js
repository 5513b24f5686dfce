// Models: list, choose the default for /api/predict, download, delete.
import { getJson, request, sendJson } from './api.js';
import { $, decimal, h, percent, shortId, status, when } from './dom.js';
import { save } from './results.js';
import { showError } from './app.js';

export function init() {
  $('#model-newest').addEventListener('click', async () => {
    try {
      await request('/api/models/default', { method: 'DELETE' });
      status($('#model-status'), 'The newest model is the default again.');
      await show();
    } catch (error) { showError(error); }
  });
}

export async function show() {
  const models = await getJson('/api/models');
  const rows = models.map(model => h('tr', {},
    h('td', {}, h('input', { type: 'radio', name: 'default-model', value: model.id, checked: model.isDefault,
      'aria-label': `Use model ${shortId(model.id)} by default`, onchange: () => choose(model.id) })),
    h('td', {}, h('a', { href: `#results/${model.id}`, title: model.id }, shortId(model.id))),
    h('td', {}, `${model.preset} (${model.network})`),
    h('td', {}, when(model.createdAt)),
    h('td', { class: 'num' }, percent(model.testAccuracy)),
    h('td', { class: 'num' }, decimal(model.testRocAuc)),
    h('td', {}, h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => save(`/api/models/${model.id}/file`, `emotion-model-${model.id}.zip`) },
        'Download', h('span', { class: 'visually-hidden' }, ` model ${shortId(model.id)}`)),
      h('button', { type: 'button', class: 'danger', onclick: () => remove(model) },
        'Delete', h('span', { class: 'visually-hidden' }, ` model ${shortId(model.id)}`))))));
  $('#model-table tbody').replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No model yet: train one under Training.'))]));
}

async function choose(id) {
  try {
    await sendJson('PUT', '/api/models/default', { modelId: id });
    status($('#model-status'), `Model ${shortId(id)} is the default.`);
  } catch (error) { showError(error); await show(); }
}

async function remove(model) {
  if (!confirm(`Delete model ${shortId(model.id)} (${model.preset}, ${percent(model.testAccuracy)})? Its job keeps its record.`)) return;
  try {
    await request(`/api/models/${model.id}`, { method: 'DELETE' });
    status($('#model-status'), `Deleted model ${shortId(model.id)}.`);
    await show();
  } catch (error) { showError(error); }
}
