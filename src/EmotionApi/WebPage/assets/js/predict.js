// Prediction: drop or pick images; each comes back with its Positive and Negative probabilities as bars, and its label.
import { getJson, postForm } from './api.js';
import { $, h, percent, shortId, status } from './dom.js';

let previews = [];

export function init() {
  const zone = $('#drop-zone');
  const input = $('#predict-files');
  input.addEventListener('change', () => { if (input.files.length) predict([...input.files]); });
  zone.addEventListener('dragover', event => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', event => {
    event.preventDefault();
    zone.classList.remove('over');
    const files = [...event.dataTransfer.files].filter(file => file.type.startsWith('image/') || file.type === '');
    if (files.length) predict(files);
  });
}

export async function show() {
  const models = await getJson('/api/models');
  const select = $('#predict-model');
  const keep = select.value;
  const fallback = models.find(model => model.isDefault);
  select.replaceChildren(
    h('option', { value: '' }, fallback ? `The default model (${shortId(fallback.id)}, ${fallback.preset})` : 'The default model'),
    ...models.map(model => h('option', { value: model.id }, `${shortId(model.id)} · ${model.preset} · ${percent(model.testAccuracy)}`)));
  if ([...select.options].some(option => option.value === keep)) select.value = keep;
  if (models.length === 0) status($('#predict-status'), 'No model yet: train one under Training first.', true);
}

async function predict(files) {
  const line = $('#predict-status');
  const form = new FormData();
  files.forEach(file => form.append('files', file, file.name));
  const model = $('#predict-model').value;
  status(line, `Classifying ${files.length} image${files.length === 1 ? '' : 's'}…`);
  try {
    const answer = await postForm(`/api/predict${model ? `?modelId=${encodeURIComponent(model)}` : ''}`, form);
    previews.forEach(url => URL.revokeObjectURL(url));
    previews = files.map(file => URL.createObjectURL(file));
    $('#predictions').replaceChildren(...answer.results.map((result, i) => card(result, previews[i])));
    const labelled = answer.results.filter(result => result.label);
    status(line, `Model ${shortId(answer.modelId)}: ${labelled.length} of ${answer.results.length} classified.`);
  } catch (error) {
    status(line, error.message, true);
  } finally {
    $('#predict-files').value = '';
  }
}

function card(result, preview) {
  if (result.error) {
    return h('li', {}, h('img', { src: preview, alt: result.fileName }), h('p', { class: 'file' }, result.fileName),
      h('p', { class: 'error' }, result.error));
  }
  const row = (name, share) => h('div', { class: 'bar-row' }, h('span', {}, name),
    h('span', { class: 'track' }, h('span', { class: `fill ${name}`, style: { width: `${share * 100}%`, display: 'block' } })),
    h('span', { class: 'num' }, percent(share)));
  return h('li', { 'aria-label': `${result.fileName}: ${result.label}, ${percent(result.positive)} positive` },
    h('img', { src: preview, alt: result.fileName }),
    h('p', { class: 'file' }, result.fileName),
    h('p', { class: `label ${result.label}`, 'data-label': result.label }, result.label),
    row('Positive', result.positive), row('Negative', result.negative));
}
