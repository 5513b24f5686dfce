// Small DOM and formatting helpers. Text always goes in as text (never as HTML): names come from users.

/** h('p', {class: 'x'}, 'text', child) -> element. Attributes starting with "on" become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'style') Object.assign(element.style, value); // through CSSOM: the page's policy forbids inline style
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat().filter(child => child !== null && child !== undefined && child !== false));
  return element;
}

export const $ = selector => document.querySelector(selector);

export const percent = (share, digits = 1) => Number.isFinite(share) ? `${(share * 100).toFixed(digits)}%` : '–';
export const decimal = (value, digits = 3) => Number.isFinite(value) ? value.toFixed(digits) : '–';
export const shortId = id => id ? id.slice(0, 8) : '';
export const when = iso => iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : '';

export function duration(seconds) {
  if (!Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bytes(count) {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KB`;
  return `${(count / 1024 / 1024).toFixed(1)} MB`;
}

/** Sets a status line's text, as an error or not. */
export function status(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

/** Runs a form's work with its submit button disabled; a failure is shown on the form's status line. */
export async function submitting(form, line, work) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try { await work(); } catch (error) { status(line, error.message, true); } finally { button.disabled = false; }
}
