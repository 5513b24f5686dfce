// Datasets: upload a zip (with a progress bar) or make the sample; a dataset's summary and its images per class.
import { getJson, objectUrl, request, sendJson, upload } from './api.js';
import { $, bytes, h, percent, status, submitting, when } from './dom.js';
import { showError } from './app.js';

const pageSize = 24;
let selected = null;
const thumbnailUrls = new Map();

export function init() {
  $('#upload-form').addEventListener('submit', onUpload);
  $('#sample-form').addEventListener('submit', onSample);
}

export async function show(id) {
  const list = await refreshList();
  const chosen = id ?? selected ?? list[0]?.id;
  if (chosen) await select(chosen, false);
}

async function refreshList() {
  const list = await getJson('/api/datasets');
  $('#dataset-list').replaceChildren(...list.map(dataset => h('li', {},
    h('button', { type: 'button', 'data-id': dataset.id, 'aria-current': dataset.id === selected ? 'true' : null, onclick: () => select(dataset.id, true) },
      dataset.name, h('small', {}, `${dataset.imageCount} images · ${dataset.source} · ${when(dataset.createdAt)}`)))));
  if (list.length === 0) $('#dataset-list').replaceChildren(h('li', { class: 'muted' }, 'No dataset yet.'));
  return list;
}

async function select(id, fromUser) {
  selected = id;
  document.querySelectorAll('#dataset-list button').forEach(button =>
    button.dataset.id === id ? button.setAttribute('aria-current', 'true') : button.removeAttribute('aria-current'));
  if (fromUser && location.hash !== `#datasets/${id}`) history.replaceState(null, '', `#datasets/${id}`);
  const summary = await getJson(`/api/datasets/${id}`);
  renderSummary(summary);
  for (const entry of summary.classes) loadThumbnails(summary.id, entry.class, 0);
}

function renderSummary(summary) {
  const [negative, positive] = ['negative', 'positive'].map(name => summary.classes.find(entry => entry.class === name));
  const sizes = ({ min, median, max }) => min === max ? `${min}` : `${min}–${max} (median ${median})`;
  const detail = $('#dataset-detail');
  detail.replaceChildren(
    h('h3', {}, summary.name),
    h('div', { class: 'balance', role: 'img', 'aria-label': `Class balance: ${percent(negative.share)} Negative, ${percent(positive.share)} Positive` },
      h('span', { class: 'negative', style: { width: `${negative.share * 100}%` } }, negative.share > 0.12 ? `Negative ${percent(negative.share)}` : ''),
      h('span', { class: 'positive', style: { width: `${positive.share * 100}%` } }, positive.share > 0.12 ? `Positive ${percent(positive.share)}` : '')),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Images'), h('dd', {}, `${summary.imageCount}: ${negative.count} Negative, ${positive.count} Positive`),
      h('dt', {}, 'Naive baseline'), h('dd', {}, `${percent(summary.naiveBaselineAccuracy)} (always ${summary.naiveBaselineClass === 'positive' ? 'Positive' : 'Negative'}): the accuracy to beat`),
      h('dt', {}, 'Widths'), h('dd', {}, `${sizes(summary.imageSizes.width)} px`),
      h('dt', {}, 'Heights'), h('dd', {}, `${sizes(summary.imageSizes.height)} px`),
      h('dt', {}, 'Source'), h('dd', {}, `${summary.source}, ${when(summary.createdAt)}`),
      h('dt', {}, 'Skipped files'), h('dd', {}, String(summary.skippedCount))),
    summary.skippedCount > 0 ? h('details', {},
      h('summary', {}, `${summary.skippedCount} skipped file${summary.skippedCount === 1 ? '' : 's'} and why`),
      h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'File'), h('th', { scope: 'col' }, 'Reason'))),
        h('tbody', {}, summary.skipped.map(file => h('tr', {}, h('td', {}, file.path), h('td', {}, file.reason))))))) : '',
    h('div', { class: 'actions' },
      h('a', { class: 'button', href: `#training/dataset=${summary.id}` }, 'Train on this dataset'),
      h('button', { type: 'button', class: 'danger', onclick: () => remove(summary) }, 'Delete dataset')),
    ...summary.classes.map(entry => h('section', { 'aria-label': `${title(entry.class)} images` },
      h('h4', {}, `${title(entry.class)} images (${entry.count})`),
      h('ul', { class: 'thumbs', id: `thumbs-${entry.class}` }),
      h('button', { type: 'button', class: 'secondary', id: `more-${entry.class}`, hidden: true }, `More ${title(entry.class)} images`))));
}

const title = name => name[0].toUpperCase() + name.slice(1);

async function loadThumbnails(datasetId, label, offset) {
  try {
    const page = await getJson(`/api/datasets/${datasetId}/images?class=${label}&offset=${offset}&limit=${pageSize}`);
    const list = document.getElementById(`thumbs-${label}`);
    if (!list || selected !== datasetId) return;
    const items = page.images.map(image => {
      const img = h('img', { alt: `${image.originalName}, ${image.width}×${image.height}, ${bytes(image.bytes)}`, width: 72, height: 72 });
      thumbnail(image.thumbnailUrl).then(url => { img.src = url; }, () => { img.alt += ' (not available)'; });
      return h('li', {}, img);
    });
    list.append(...items);
    const more = document.getElementById(`more-${label}`);
    const next = offset + page.images.length;
    more.hidden = next >= page.total;
    more.onclick = () => loadThumbnails(datasetId, label, next);
  } catch (error) { showError(error); }
}

async function thumbnail(url) {
  if (!thumbnailUrls.has(url)) thumbnailUrls.set(url, objectUrl(url).then(result => result.url));
  return thumbnailUrls.get(url);
}

async function remove(summary) {
  if (!confirm(`Delete the dataset "${summary.name}" (${summary.imageCount} images)? Models trained on it stay.`)) return;
  try {
    await request(`/api/datasets/${summary.id}`, { method: 'DELETE' });
    selected = null;
    $('#dataset-detail').replaceChildren(h('p', { class: 'muted' }, `Deleted "${summary.name}".`));
    await show(null);
  } catch (error) { showError(error); }
}

async function onUpload(event) {
  event.preventDefault();
  const form = event.target;
  const file = form.file.files[0];
  const line = $('#upload-status');
  if (!file) { status(line, 'Choose a zip file first.', true); form.file.focus(); return; }
  const body = new FormData();
  body.append('file', file);
  if (form.name.value.trim()) body.append('name', form.name.value.trim());
  const row = $('#upload-progress-row');
  const bar = $('#upload-progress');
  row.hidden = false;
  bar.value = 0;
  status(line, `Uploading ${file.name} (${bytes(file.size)})…`);
  await submitting(form, line, async () => {
    try {
      const summary = await upload('/api/datasets', body, share => {
        bar.value = Math.round(share * 100);
        $('#upload-percent').textContent = `${bar.value}%`;
        if (share >= 1) status(line, 'Checking the images…');
      });
      status(line, `Uploaded "${summary.name}": ${summary.imageCount} images, ${summary.skippedCount} skipped.`);
      form.reset();
      await refreshList();
      await select(summary.id, true);
    } finally {
      row.hidden = true;
    }
  });
}

async function onSample(event) {
  event.preventDefault();
  const form = event.target;
  const line = $('#sample-status');
  const side = Number(form.side.value);
  status(line, 'Drawing faces…');
  await submitting(form, line, async () => {
    const summary = await sendJson('POST', '/api/datasets/sample', { count: Number(form.count.value), width: side, height: side, seed: Number(form.seed.value) });
    status(line, `Created "${summary.name}": ${summary.imageCount} images.`);
    await refreshList();
    await select(summary.id, true);
  });
}
