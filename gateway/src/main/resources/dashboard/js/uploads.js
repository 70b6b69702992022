// Uploads through XMLHttpRequest, for its upload progress events (fetch has none). The form holds
// the File object itself, so the browser streams it from disk; the page never reads the bytes.
//
// At most MAX_PARALLEL_UPLOADS run at once and the rest wait in a queue: enough to keep a fast link
// busy with many small files, few enough that each big one still makes visible progress. One summary
// above the per-file list counts the batch (everything added since the uploads last all finished):
// files done of total, bytes sent of total and the rate since the batch began. Its data-running,
// data-queued, data-done, data-failed and data-total attributes say the same for tests and tools.

import { authHeaders, failureFor, url } from './api.js';
import { byId, formatBytes, h } from './dom.js';
import { join } from './location.js';

const MAX_PARALLEL_UPLOADS = 4;

/** How often the listing is redrawn at most while uploads finish one after another. */
const REFRESH_MS = 500;

/** Uploads waiting for a free slot, oldest first. */
const queue = [];
/** Uploads sending now. */
const active = new Set();
let batch = newBatch();
let refreshTimer = null;

function newBatch() {
  return { files: 0, done: 0, failed: 0, bytes: 0, finishedBytes: 0, started: performance.now() };
}

/**
 * Queues every item (`{file, path}`, `path` relative to `directory`, e.g. "photos/2024/a.jpg" from a
 * folder) for a multipart POST /api/v1/files/{directory/path}; the gateway creates missing parent
 * directories. `onDone` runs (coalesced) after uploads that succeed.
 */
export function uploadFiles(items, directory, { makePublic, onDone }) {
  if (!items.length) {
    return;
  }
  if (!active.size && !queue.length) {
    batch = newBatch();
  }
  for (const { file, path } of items) {
    queue.push(prepare(file, join(directory, path), makePublic, onDone));
    batch.files++;
    batch.bytes += file.size;
  }
  pump();
}

/**
 * What a drop holds, read from the event before it returns: `files`, each `{file, path}` with folders
 * walked to their files, and `folders`, the paths of the empty folders in it. Uploading a file creates
 * the folders above it; an empty folder has no file to do that, so it must be created on its own.
 */
export function droppedItems(dataTransfer) {
  const entries = [];
  const loose = [];
  if (dataTransfer.items && dataTransfer.items.length) {
    for (const item of dataTransfer.items) {
      if (item.kind !== 'file') {
        continue;
      }
      // Only a drop from the file system has entries; a File made in a page has none.
      const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
      if (entry) {
        entries.push(entry);
      } else {
        const file = item.getAsFile();
        if (file) {
          loose.push({ file, path: file.name });
        }
      }
    }
  } else {
    loose.push(...[...dataTransfer.files].map((file) => ({ file, path: file.name })));
  }
  return (async () => {
    const dropped = { files: [...loose], folders: [] };
    for (const entry of entries) {
      await walk(entry, dropped);
    }
    return dropped;
  })();
}

function relative(entry) {
  return entry.fullPath.replace(/^\/+/, '');
}

async function walk(entry, dropped) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    dropped.files.push({ file, path: relative(entry) });
  } else if (entry.isDirectory) {
    // readEntries answers in batches until an empty one.
    const reader = entry.createReader();
    let empty = true;
    for (;;) {
      const children = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (!children.length) {
        break;
      }
      empty = false;
      for (const child of children) {
        await walk(child, dropped);
      }
    }
    if (empty) {
      dropped.folders.push(relative(entry));
    }
  }
}

/** Removes the finished uploads from the list, and the summary when nothing is left. */
export function clearFinished() {
  for (const item of byId('uploads').querySelectorAll('[data-state="done"], [data-state="failed"]')) {
    item.remove();
  }
  if (!active.size && !queue.length) {
    batch = newBatch();
    byId('upload-summary').hidden = true;
  }
}

function prepare(file, path, makePublic, onDone) {
  const progress = h('progress', { max: 100, value: 0, 'aria-label': `upload of ${path}` });
  const status = h('span', { class: 'upload-status' }, `waiting, ${formatBytes(file.size)}`);
  const upload = { file, path, makePublic, onDone, sent: 0, xhr: null, progress, status, item: null };
  const cancel = h('button', { type: 'button', class: 'icon-button', 'aria-label': `Cancel ${path}`,
    onclick: () => cancelUpload(upload) }, '×');
  upload.item = h('li', { class: 'upload', 'data-upload': path, 'data-state': 'queued' },
    h('span', { class: 'upload-name', title: path }, path), progress, status, cancel);
  byId('uploads').append(upload.item);
  return upload;
}

function cancelUpload(upload) {
  const state = upload.item.dataset.state;
  if (state === 'running') {
    upload.xhr.abort();
  } else if (state === 'queued') {
    queue.splice(queue.indexOf(upload), 1);
    finish(upload, 'failed', 'cancelled');
  } else {
    upload.item.remove();
  }
}

/** Starts queued uploads while slots are free. */
function pump() {
  while (active.size < MAX_PARALLEL_UPLOADS && queue.length) {
    start(queue.shift());
  }
  renderSummary();
}

function start(upload) {
  const { file, path, progress, status, item } = upload;
  const xhr = new XMLHttpRequest();
  upload.xhr = xhr;
  active.add(upload);
  item.dataset.state = 'running';
  status.textContent = `0 of ${formatBytes(file.size)}`;

  let events = 0;
  xhr.upload.addEventListener('progress', (event) => {
    if (event.lengthComputable && event.total > 0) {
      progress.value = Math.floor((100 * event.loaded) / event.total);
      // The multipart body is a little larger than the file: count the file's share of it.
      upload.sent = Math.min(file.size, Math.round((file.size * event.loaded) / event.total));
      status.textContent = `${formatBytes(event.loaded)} of ${formatBytes(event.total)}`;
      item.dataset.progressEvents = String(++events);
      renderSummary();
    }
  });
  xhr.addEventListener('load', () => {
    if (xhr.status >= 200 && xhr.status < 300) {
      progress.value = 100;
      finish(upload, 'done', `done, ${formatBytes(file.size)}`);
      refreshSoon(upload.onDone);
    } else {
      finish(upload, 'failed', failureFor(xhr.status, parse(xhr.responseText), { role: 'writer' }).message);
    }
  });
  xhr.addEventListener('error', () => finish(upload, 'failed', 'The gateway cannot be reached.'));
  xhr.addEventListener('abort', () => finish(upload, 'failed', 'cancelled'));

  const form = new FormData();
  form.append('file', file, file.name);
  xhr.open('POST', url('files', path) + (upload.makePublic ? '?visibility=public' : ''));
  xhr.setRequestHeader('Accept', 'application/json');
  for (const [name, value] of Object.entries(authHeaders())) {
    xhr.setRequestHeader(name, value);
  }
  xhr.send(form);
}

function finish(upload, state, text) {
  upload.item.dataset.state = state;
  upload.status.textContent = text;
  active.delete(upload);
  if (state === 'done') {
    batch.done++;
    batch.finishedBytes += upload.file.size;
  } else {
    // A failed file's bytes leave the batch's total, so the bar can still reach its end.
    batch.failed++;
    batch.bytes -= upload.file.size;
  }
  pump();
}

/** Runs `onDone` once per REFRESH_MS at most, and once more when the batch ends. */
function refreshSoon(onDone) {
  if (!active.size && !queue.length) {
    clearTimeout(refreshTimer);
    refreshTimer = null;
    onDone();
  } else if (!refreshTimer) {
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      onDone();
    }, REFRESH_MS);
  }
}

function renderSummary() {
  const summary = byId('upload-summary');
  const running = active.size;
  let sent = batch.finishedBytes;
  for (const upload of active) {
    sent += upload.sent;
  }
  const finished = !running && !queue.length;
  const seconds = (performance.now() - batch.started) / 1000;
  const parts = [finished
    ? `${batch.done} of ${batch.files} files uploaded`
    : `${batch.done} of ${batch.files} files done, ${running} uploading, ${queue.length} waiting`];
  if (batch.failed) {
    parts.push(`${batch.failed} failed`);
  }
  parts.push(`${formatBytes(sent)} of ${formatBytes(batch.bytes)}`);
  if (seconds >= 0.5 && sent > 0) {
    parts.push(`${formatBytes(sent / seconds)}/s`);
  }
  byId('upload-summary-text').textContent = parts.join(' · ');
  const bar = byId('upload-summary-bar');
  bar.value = batch.bytes > 0 ? Math.floor((100 * sent) / batch.bytes) : (finished ? 100 : 0);
  Object.assign(summary.dataset, {
    state: finished ? 'done' : 'running',
    running: String(running),
    queued: String(queue.length),
    done: String(batch.done),
    failed: String(batch.failed),
    total: String(batch.files),
    limit: String(MAX_PARALLEL_UPLOADS),
  });
  summary.hidden = false;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return {};
  }
}
