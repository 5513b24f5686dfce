// Results of a model (or of the job that trained it): accuracy beside the naive baseline, the split, the classification
// report, and the three plots.
import { ApiError, getJson, objectUrl } from './api.js';
import { $, decimal, h, percent, shortId, when } from './dom.js';
import { describe } from './training.js';
import { showError } from './app.js';

let urls = [];
let shownId = null;

export function init() {
  $('#results-model').addEventListener('change', event => { location.hash = `#results/${event.target.value}`; });
}

export async function show(id) {
  const models = await getJson('/api/models');
  const select = $('#results-model');
  select.replaceChildren(...models.map(model => h('option', { value: model.id },
    `${shortId(model.id)} · ${model.preset} · ${percent(model.testAccuracy)} · ${when(model.createdAt)}${model.isDefault ? ' (default)' : ''}`)));
  const chosen = id ?? models.find(model => model.isDefault)?.id ?? models[0]?.id;
  if (!chosen) {
    $('#results-body').replaceChildren(h('p', { class: 'card muted' }, 'No model yet: train one under Training.'));
    return;
  }
  if (!models.some(model => model.id === chosen)) select.prepend(h('option', { value: chosen }, `job ${shortId(chosen)}`));
  select.value = chosen;
  if (chosen !== shownId) await render(chosen);
}

export function hide() {
  urls.forEach(url => URL.revokeObjectURL(url));
  urls = [];
  shownId = null;
}

async function render(id) {
  hide();
  shownId = id;
  const body = $('#results-body');
  body.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  // A model's results; a job whose model was deleted still has its own.
  let base = `/api/models/${id}`;
  let evaluation;
  try { evaluation = await getJson(`${base}/evaluation`); } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    base = `/api/training-jobs/${id}`;
    evaluation = await getJson(`${base}/evaluation`);
  }
  const split = await getJson(`/api/training-jobs/${id}/split`).catch(() => null);
  if (shownId !== id) return;

  const above = evaluation.accuracy - evaluation.naiveBaselineAccuracy;
  body.replaceChildren(
    h('div', { class: 'columns' },
      h('div', { class: 'card' },
        h('h3', {}, `Test set: ${evaluation.testSize} images`),
        h('div', { class: 'compare', role: 'img', 'aria-label': `Accuracy ${percent(evaluation.accuracy)} against a naive baseline of ${percent(evaluation.naiveBaselineAccuracy)}` },
          h('span', {}, 'Accuracy'), bar(evaluation.accuracy, ''), h('strong', {}, percent(evaluation.accuracy)),
          h('span', {}, 'Naive baseline'), bar(evaluation.naiveBaselineAccuracy, 'baseline'), h('span', {}, percent(evaluation.naiveBaselineAccuracy))),
        h('p', { class: above > 0 ? 'ok' : 'error' },
          above > 0 ? `${(above * 100).toFixed(1)} points above always answering the majority class.`
            : 'No better than always answering the majority class.'),
        h('dl', { class: 'facts' },
          h('dt', {}, 'ROC AUC'), h('dd', {}, decimal(evaluation.rocAuc)),
          h('dt', {}, 'Test loss'), h('dd', {}, decimal(evaluation.loss)),
          h('dt', {}, 'Threshold'), h('dd', {}, String(evaluation.threshold))),
        splitTable(split)),
      h('div', { class: 'card' }, h('h3', {}, 'Classification report'), reportTable(evaluation.classes))),
    h('div', { class: 'plots' },
      plot(`${base}/plots/history`, 'Learning curves', 'wide', 1000, 420),
      plot(`${base}/plots/roc`, 'ROC curve', '', 520, 500),
      plot(`${base}/plots/confusion`, 'Confusion matrix', '', 520, 420)));
}

function bar(share, kind) {
  return h('span', { class: 'track' }, h('span', { class: `fill ${kind}`, style: { width: `${Math.max(0, share) * 100}%`, display: 'block' } }));
}

function splitTable(split) {
  if (!split) return h('p', { class: 'muted' }, 'The split is unknown: the job that trained this model was deleted.');
  const rows = [['Training', 'train'], ['Validation', 'validation'], ['Test', 'test']];
  const classes = split.classes ?? [];
  return h('div', { class: 'scroll' }, h('table', {},
    h('caption', {}, 'Images in each part of the split'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Part'), ...classes.map(entry => h('th', { scope: 'col', class: 'num' }, title(entry.class))),
      h('th', { scope: 'col', class: 'num' }, 'All'))),
    h('tbody', {}, rows.map(([label, key]) => h('tr', {}, h('th', { scope: 'row' }, label),
      ...classes.map(entry => h('td', { class: 'num' }, String(entry[key]))), h('td', { class: 'num' }, String(split[key])))))));
}

function reportTable(classes) {
  const total = classes.reduce((sum, row) => sum + row.support, 0);
  const average = (name, weight) => {
    const weights = classes.reduce((sum, row) => sum + weight(row), 0) || 1;
    const mean = metric => classes.reduce((sum, row) => sum + weight(row) * row[metric], 0) / weights;
    return { class: name, precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: total };
  };
  const rows = [...classes, average('macro avg', () => 1), average('weighted avg', row => row.support)];
  return h('div', { class: 'scroll' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Precision, recall, F1 and support per class'),
    h('thead', {}, h('tr', {}, ['Class', 'Precision', 'Recall', 'F1', 'Support'].map((name, i) => h('th', { scope: 'col', class: i ? 'num' : null }, name)))),
    h('tbody', {}, rows.map(row => h('tr', {}, h('th', { scope: 'row' }, title(row.class)),
      h('td', { class: 'num' }, decimal(row.precision)), h('td', { class: 'num' }, decimal(row.recall)),
      h('td', { class: 'num' }, decimal(row.f1)), h('td', { class: 'num' }, String(row.support)))))));
}

const title = name => name[0].toUpperCase() + name.slice(1);

/** A plot as SVG (crisp at any width), fetched with the API key; its alt text is the plot's own description. */
function plot(path, caption, kind, width, height) {
  const img = h('img', { alt: `${caption} (loading)`, width, height });
  const download = h('button', { type: 'button', class: 'secondary', onclick: () => save(`${path}.png`, `${caption.toLowerCase().replaceAll(' ', '-')}.png`) }, `Download ${caption} as PNG`);
  objectUrl(`${path}.svg?width=${width}&height=${height}`).then(async ({ url, blob }) => {
    urls.push(url);
    img.alt = describe(await blob.text());
    img.src = url;
  }, showError);
  return h('figure', { class: `plot card ${kind}` }, img, h('figcaption', {}, caption, ' ', download));
}

async function save(path, fileName) {
  try {
    const { url } = await objectUrl(path);
    const link = h('a', { href: url, download: fileName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (error) { showError(error); }
}

export { save };
