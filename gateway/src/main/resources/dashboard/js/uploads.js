// Uploads through XMLHttpRequest, for its upload progress events (fetch has none). The form holds
// the File object itself, so the browser streams it from disk; the page never reads the bytes.

import { authHeaders, failureFor, url } from './api.js';
import { byId, formatBytes, h } from './dom.js';
import { join } from './location.js';

/**
 * Uploads every file into `directory` (multipart POST /api/v1/files/{path}), each with its own
 * progress bar in the uploads list; `onDone` runs after each one that succeeds.
 */
export function uploadFiles(files, directory, { makePublic, onDone }) {
  for (const file of files) {
    upload(file, join(directory, file.name), makePublic, onDone);
  }
}

function upload(file, path, makePublic, onDone) {
  const progress = h('progress', { max: 100, value: 0, 'aria-label': `upload of ${path}` });
  const status = h('span', { class: 'upload-status' }, `0 of ${formatBytes(file.size)}`);
  const xhr = new XMLHttpRequest();
  const cancel = h('button', { type: 'button', class: 'icon-button', 'aria-label': `Cancel ${path}`,
    onclick: () => (item.dataset.state === 'running' ? xhr.abort() : item.remove()) }, '×');
  const item = h('li', { class: 'upload', 'data-upload': path, 'data-state': 'running' },
    h('span', { class: 'upload-name' }, path), progress, status, cancel);
  byId('uploads').prepend(item);

  let events = 0;
  xhr.upload.addEventListener('progress', (event) => {
    if (event.lengthComputable && event.total > 0) {
      progress.value = Math.floor((100 * event.loaded) / event.total);
      status.textContent = `${formatBytes(event.loaded)} of ${formatBytes(event.total)}`;
      item.dataset.progressEvents = String(++events);
    }
  });
  xhr.addEventListener('load', () => {
    if (xhr.status >= 200 && xhr.status < 300) {
      finish(item, 'done', `done, ${formatBytes(file.size)}`);
      progress.value = 100;
      onDone();
    } else {
      finish(item, 'failed', failureFor(xhr.status, parse(xhr.responseText), { role: 'writer' }).message);
    }
  });
  xhr.addEventListener('error', () => finish(item, 'failed', 'The gateway cannot be reached.'));
  xhr.addEventListener('abort', () => finish(item, 'failed', 'cancelled'));

  const form = new FormData();
  form.append('file', file, file.name);
  xhr.open('POST', url('files', path) + (makePublic ? '?visibility=public' : ''));
  xhr.setRequestHeader('Accept', 'application/json');
  for (const [name, value] of Object.entries(authHeaders())) {
    xhr.setRequestHeader(name, value);
  }
  xhr.send(form);
}

function finish(item, state, text) {
  item.dataset.state = state;
  item.querySelector('.upload-status').textContent = text;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return {};
  }
}
