// The API as the page calls it: JSON, uploads with progress, images as blobs. When the service asks for an API key
// (401), the page asks the user once and keeps the key for this tab (sessionStorage); every request sends it.

const keyName = 'emotionapi.apiKey';
const keyListeners = new Set();
let pendingKey = null;

export class ApiError extends Error {
  constructor(status, problem) {
    const errors = problem?.errors ? Object.entries(problem.errors).map(([field, problems]) => `${field}: ${problems.join(' ')}`) : [];
    const detail = [problem?.detail, ...errors.filter(text => !problem?.detail?.includes(text))].filter(Boolean).join(' ');
    super(problem?.title ? `${problem.title}${detail ? `: ${detail}` : ''}` : `The service answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }
}

export const apiKey = () => sessionStorage.getItem(keyName);
export function onKeyChange(listener) { keyListeners.add(listener); listener(apiKey()); }
export function forgetKey() { sessionStorage.removeItem(keyName); keyListeners.forEach(listener => listener(null)); }

function withKey(headers = {}) {
  const key = apiKey();
  return key ? { ...headers, 'X-Api-Key': key } : headers;
}

async function problemOf(response) {
  try { return await response.json(); } catch { return null; }
}

/** Opens the key dialog once however many requests are waiting; resolves when a key is entered, rejects on cancel. */
function askForKey(reason) {
  pendingKey ??= new Promise((resolve, reject) => {
    const dialog = document.getElementById('key-dialog');
    const input = document.getElementById('key-input');
    document.getElementById('key-reason').textContent = reason;
    input.value = '';
    const finish = ok => {
      dialog.removeEventListener('close', onClose);
      pendingKey = null;
      if (ok) {
        sessionStorage.setItem(keyName, input.value.trim());
        keyListeners.forEach(listener => listener(apiKey()));
        resolve();
      } else reject(new ApiError(401, { title: 'API key needed', detail: reason }));
    };
    const onClose = () => finish(dialog.returnValue === 'ok' && input.value.trim() !== '');
    document.getElementById('key-cancel').onclick = () => dialog.close('cancel');
    dialog.addEventListener('close', onClose);
    dialog.returnValue = '';
    dialog.showModal();
  });
  return pendingKey;
}

function keyReason(status, problem) {
  return status === 403
    ? `This key may not do that (${problem?.detail ?? 'forbidden'}). Enter a key with the right role.`
    : problem?.detail ?? 'The service needs an API key.';
}

/** fetch with the key; asks for a key on 401 (or on 403, for a better one) and tries again. Throws ApiError otherwise. */
export async function request(path, options = {}) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(path, { ...options, headers: withKey(options.headers) });
    if ((response.status === 401 || response.status === 403) && attempt < 3) {
      await askForKey(keyReason(response.status, await problemOf(response)));
      continue;
    }
    if (!response.ok) throw new ApiError(response.status, await problemOf(response));
    return response;
  }
}

export async function getJson(path) {
  return (await request(path, { headers: { Accept: 'application/json' } })).json();
}

export async function sendJson(method, path, body) {
  const response = await request(path, {
    method,
    headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? null : response.json();
}

export async function postForm(path, form) {
  return (await request(path, { method: 'POST', headers: { Accept: 'application/json' }, body: form })).json();
}

/** An image (or any file) fetched with the key, as an object URL for <img> or a download; the caller revokes it. */
export async function objectUrl(path) {
  const blob = await (await request(path)).blob();
  return { url: URL.createObjectURL(blob), blob };
}

/** POST of a form with upload progress (fetch has none): onProgress(share 0..1). Resolves with the JSON answer. */
export function upload(path, form, onProgress) {
  const attempt = () => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    if (apiKey()) xhr.setRequestHeader('X-Api-Key', apiKey());
    xhr.upload.onprogress = event => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onerror = () => reject(new ApiError(0, { title: 'Upload failed', detail: 'The connection to the service was lost.' }));
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body));
    };
    xhr.send(form);
  });
  return (async () => {
    for (let tries = 0; ; tries++) {
      try { return await attempt(); } catch (error) {
        if (!(error.status === 401 || error.status === 403) || tries >= 3) throw error;
        await askForKey(keyReason(error.status, error.problem));
      }
    }
  })();
}
