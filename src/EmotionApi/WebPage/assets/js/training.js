// Training: queue a job from a dataset, a preset (listed by the API) and overrides; watch it live (state, progress, time
// left, the learning curve growing epoch by epoch); cancel it.
import { getJson, objectUrl, request, sendJson } from './api.js';
import { $, decimal, duration, h, percent, shortId, status, submitting, when } from './dom.js';
import { showError } from './app.js';

const pollMilliseconds = 1000;
let catalog = null;
let watched = null;   // { id, timer, epoch, state }
let curveUrl = null;
let datasetNames = new Map();

export function init() {
  $('#train-form').addEventListener('submit', onQueue);
  $('#train-preset').addEventListener('change', describePreset);
  $('#job-cancel').addEventListener('click', onCancel);
}

export async function show(argument) {
  const preselect = argument?.startsWith('dataset=') ? argument.slice('dataset='.length) : null;
  await Promise.all([loadDatasets(preselect), loadPresets()]);
  const jobs = await refreshJobs();
  const jobId = argument && !preselect ? argument : jobs.find(job => job.state === 'queued' || job.state === 'running')?.id;
  if (jobId) watch(jobId); else $('#job-live').hidden = true;
}

export function hide() { stopWatching(); }

async function loadDatasets(preselect) {
  const datasets = await getJson('/api/datasets');
  datasetNames = new Map(datasets.map(dataset => [dataset.id, dataset.name]));
  const select = $('#train-dataset');
  const keep = preselect ?? select.value;
  select.replaceChildren(...datasets.map(dataset => h('option', { value: dataset.id }, `${dataset.name} (${dataset.imageCount} images)`)));
  if (datasets.some(dataset => dataset.id === keep)) select.value = keep;
}

async function loadPresets() {
  catalog ??= await getJson('/api/presets');
  const select = $('#train-preset');
  if (select.options.length === 0) {
    select.replaceChildren(...catalog.presets.map(preset => h('option', { value: preset.name }, preset.name)));
    select.value = catalog.presets.some(preset => preset.name === 'tiny') ? 'tiny' : catalog.defaultPreset;
  }
  describePreset();
}

function describePreset() {
  const preset = catalog.presets.find(entry => entry.name === $('#train-preset').value);
  if (!preset) return;
  const s = preset.settings;
  const network = catalog.networks.find(entry => entry.name === s.network);
  $('#preset-summary').textContent =
    `${s.network} on ${s.imageHeight}×${s.imageWidth} images; ${s.epochs} epochs of batches of ${s.batchSize}, learning rate ${s.learningRate}; ` +
    `${percent(s.testFraction, 0)} held out for testing, ${percent(s.validationFraction, 0)} of the rest for validation` +
    (s.earlyStoppingPatience > 0 ? `, early stopping after ${s.earlyStoppingPatience} epochs without progress` : '') + '.' +
    (network ? ` Image sides ${network.minSide}–${network.maxSide} px.` : '');
  const form = $('#train-form');
  const placeholders = { epochs: s.epochs, batchSize: s.batchSize, learningRate: s.learningRate, imageSide: s.imageHeight,
    validationFraction: s.validationFraction, earlyStoppingPatience: s.earlyStoppingPatience, seed: s.seed };
  for (const [name, value] of Object.entries(placeholders)) form.elements[name].placeholder = String(value);
}

async function onQueue(event) {
  event.preventDefault();
  const form = event.target;
  const line = $('#train-status');
  const body = { datasetId: form.datasetId.value, preset: form.preset.value };
  if (!body.datasetId) { status(line, 'Choose a dataset first (or create one under Datasets).', true); return; }
  for (const name of ['epochs', 'batchSize', 'learningRate', 'validationFraction', 'earlyStoppingPatience', 'seed']) {
    if (form.elements[name].value !== '') body[name] = Number(form.elements[name].value);
  }
  if (form.imageSide.value !== '') body.imageHeight = body.imageWidth = Number(form.imageSide.value);
  await submitting(form, line, async () => {
    const job = await sendJson('POST', '/api/training-jobs', body);
    status(line, `Queued job ${shortId(job.id)}.`);
    location.hash = `#training/${job.id}`;
  });
}

async function refreshJobs() {
  const jobs = await getJson('/api/training-jobs');
  $('#job-table tbody').replaceChildren(...jobs.slice(0, 20).map(job => h('tr', {},
    h('td', {}, h('a', { href: `#training/${job.id}` }, shortId(job.id))),
    h('td', {}, h('span', { class: `pill ${job.state}` }, job.state)),
    h('td', {}, job.settings.preset),
    h('td', {}, datasetNames.get(job.datasetId) ?? shortId(job.datasetId)),
    h('td', { class: 'num' }, job.testAccuracy === null || job.testAccuracy === undefined ? '' : percent(job.testAccuracy)))));
  if (jobs.length === 0) $('#job-table tbody').replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No job yet.')));
  return jobs;
}

function stopWatching() {
  if (watched) clearTimeout(watched.timer);
  watched = null;
}

function watch(id) {
  stopWatching();
  watched = { id, timer: null, epoch: null, state: null };
  $('#job-live').hidden = false;
  $('#job-title').textContent = `Job ${shortId(id)}`;
  $('#job-curve').hidden = true;
  $('#job-results').hidden = true;
  $('#job-curve-caption').textContent = 'The learning curve appears after the first epoch.';
  poll(watched);
}

async function poll(state) {
  if (watched !== state) return;
  try {
    const job = await getJson(`/api/training-jobs/${state.id}`);
    if (watched !== state) return;
    render(job, state);
    const finished = ['succeeded', 'failed', 'cancelled'].includes(job.state);
    if (job.latestEpoch && job.latestEpoch.epoch !== state.epoch) {
      state.epoch = job.latestEpoch.epoch;
      await refreshCurve(job, state);
    }
    if (finished) { await refreshJobs(); return; }
  } catch (error) {
    showError(error);
  }
  if (watched === state) state.timer = setTimeout(() => poll(state), pollMilliseconds);
}

function render(job, state) {
  const stateBadge = $('#job-state');
  stateBadge.textContent = job.state;
  stateBadge.className = `pill ${job.state}`;
  $('#job-stage').textContent = job.stage;
  const progress = job.progress;
  const bar = $('#job-progress');
  bar.value = progress ? progress.percent : 0;
  $('#job-percent').textContent = `${Math.round(bar.value)}%`;
  $('#job-numbers').textContent = progress
    ? `Epoch ${progress.epoch} of ${progress.epochs}, batch ${progress.batch} of ${progress.batches} · ${duration(progress.elapsedSeconds)} elapsed` +
      (progress.estimatedSecondsLeft ? ` · about ${duration(progress.estimatedSecondsLeft)} left` : '') +
      (job.latestEpoch ? ` · last epoch: loss ${decimal(job.latestEpoch.trainLoss)}, accuracy ${percent(job.latestEpoch.trainAccuracy)}` : '')
    : `Queued ${when(job.createdAt)}.`;
  const error = $('#job-error');
  error.hidden = !job.error;
  error.textContent = job.error ?? '';
  $('#job-cancel').hidden = job.state !== 'queued' && job.state !== 'running';
  $('#job-cancel').disabled = job.cancelRequested;
  const results = $('#job-results');
  results.hidden = job.state !== 'succeeded';
  results.href = `#results/${job.modelId ?? job.id}`;
  if (job.state !== state.state) {
    // Screen readers hear the state changes, not every progress tick.
    $('#job-announce').textContent = job.state === 'succeeded'
      ? `Job ${shortId(job.id)} succeeded: test accuracy ${percent(job.testAccuracy)}.`
      : `Job ${shortId(job.id)} is ${job.state}.`;
    state.state = job.state;
  }
}

async function refreshCurve(job, state) {
  const figure = $('#job-curve');
  const width = Math.max(360, Math.min(1000, Math.round(figure.parentElement.clientWidth || 800)));
  const height = width >= 600 ? Math.round(width * 0.45) : Math.round(width * 1.5);
  try {
    const { url, blob } = await objectUrl(`/api/training-jobs/${job.id}/plots/history.svg?width=${width}&height=${height}`);
    if (watched !== state) { URL.revokeObjectURL(url); return; }
    if (curveUrl) URL.revokeObjectURL(curveUrl);
    curveUrl = url;
    figure.src = url;
    figure.alt = describe(await blob.text());
    figure.hidden = false;
    $('#job-curve-caption').textContent = `Learning curve after epoch ${job.latestEpoch.epoch}.`;
  } catch (error) { showError(error); }
}

/** The plot's own description (its SVG <desc>), as the image's text alternative. */
export function describe(svgText) {
  const document = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const title = document.querySelector('title')?.textContent ?? 'Plot';
  return `${title}. ${document.querySelector('desc')?.textContent ?? ''}`.trim();
}

async function onCancel() {
  if (!watched) return;
  $('#job-cancel').disabled = true;
  try { await request(`/api/training-jobs/${watched.id}/cancel`, { method: 'POST' }); } catch (error) { showError(error); }
}
