// The file browser: one page of a directory at a time (GET /api/v1/dirs/{path}, cursor paging),
// breadcrumbs, new folders, uploads (files, folders, drag and drop), and delete with confirmation.

import { call, url } from './api.js';
import { confirmAction, askFolderName } from './dialogs.js';
import { downloadHref, onDownloadClick, openDetails } from './details.js';
import { byId, fill, formatBytes, formatDate, h, showMessage } from './dom.js';
import { baseName, directoryInHash, hashOf, join } from './location.js';
import { clearFinished, droppedItems, uploadFiles } from './uploads.js';

const PAGE_SIZE = 100;

/** The directory shown, and the `after` cursor of each page visited so far (the first is ''). */
const view = { directory: '', cursors: [''], page: 0, next: null };

export function initFiles() {
  window.addEventListener('hashchange', () => {
    const directory = directoryInHash();
    if (directory !== null && directory !== view.directory) {
      open(directory);
    }
  });
  byId('page-prev').addEventListener('click', () => turnPage(-1));
  byId('page-next').addEventListener('click', () => turnPage(1));
  byId('new-folder').addEventListener('click', newFolder);
  byId('upload-input').addEventListener('change', (event) => uploadChosen(event.target));
  byId('upload-folder-input').addEventListener('change', (event) => uploadChosen(event.target));
  byId('upload-clear').addEventListener('click', clearFinished);
  initDropZone();
  open(directoryInHash() ?? '');
}

/** Shows the first page of `directory`. */
export function open(directory) {
  Object.assign(view, { directory, cursors: [''], page: 0, next: null });
  renderBreadcrumbs();
  return load();
}

/** Shows the current page again, with whatever changed in it. */
export function reload() {
  return load();
}

function turnPage(step) {
  if (step > 0 && view.next) {
    view.cursors[view.page + 1] = view.next;
    view.page++;
  } else if (step < 0 && view.page > 0) {
    view.page--;
  }
  return load();
}

async function load() {
  const message = byId('files-message');
  const after = view.cursors[view.page];
  try {
    const page = await call('GET', url('dirs', view.directory),
      { query: after ? { limit: PAGE_SIZE, after } : { limit: PAGE_SIZE } });
    view.next = page.next ?? null;
    renderEntries(page.entries || []);
    showMessage(message, '');
  } catch (e) {
    view.next = null;
    fill(byId('entries'));
    showMessage(message, e.message);
  }
  byId('page-prev').disabled = view.page === 0;
  byId('page-next').disabled = !view.next;
  byId('page-info').textContent = view.page > 0 || view.next ? `page ${view.page + 1}` : '';
}

function uploadChosen(input) {
  // A folder's files carry their path below the chosen folder ("holiday/day1/a.jpg").
  const items = [...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  upload(items);
  input.value = '';
}

function upload(items) {
  uploadFiles(items, view.directory, { makePublic: byId('upload-public').checked, onDone: reload });
}

/** Files and folders dropped on the listing are uploaded into the folder shown. */
function initDropZone() {
  const zone = byId('drop-zone');
  const carriesFiles = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
  // dragenter and dragleave fire for every child crossed: count them to know when the pointer left.
  let depth = 0;
  const highlight = (on) => {
    zone.classList.toggle('dragging', on);
    zone.dataset.dragging = String(on);
  };
  zone.addEventListener('dragenter', (event) => {
    if (carriesFiles(event)) {
      event.preventDefault();
      depth++;
      highlight(true);
    }
  });
  zone.addEventListener('dragover', (event) => {
    if (carriesFiles(event)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  });
  zone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) {
      highlight(false);
    }
  });
  zone.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) {
      return;
    }
    event.preventDefault();
    depth = 0;
    highlight(false);
    droppedItems(event.dataTransfer).then(upload)
      .catch((e) => showMessage(byId('files-message'), `The dropped files cannot be read: ${e.message}`));
  });
  // A drop that misses the listing must not make the browser leave the page to show the file.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (event) => {
      if (carriesFiles(event) && !zone.contains(event.target)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'none';
      }
    });
  }
}

function renderBreadcrumbs() {
  const segments = view.directory.split('/').filter(Boolean);
  const crumbs = [h('a', { href: hashOf('') }, 'root')];
  segments.forEach((segment, i) => {
    crumbs.push(h('span', { class: 'separator', 'aria-hidden': 'true' }, '/'));
    crumbs.push(i === segments.length - 1
      ? h('span', { 'aria-current': 'page' }, segment)
      : h('a', { href: hashOf(segments.slice(0, i + 1).join('/')) }, segment));
  });
  fill(byId('breadcrumbs'), crumbs);
}

function renderEntries(entries) {
  fill(byId('entries'), entries.length
    ? entries.map(row)
    : h('tr', {}, h('td', { colspan: 4, class: 'muted empty' }, 'This folder is empty.')));
}

function row(entry) {
  const path = join(view.directory, entry.name);
  const isDirectory = entry.type === 'directory';
  const name = isDirectory
    ? h('a', { href: hashOf(path), class: 'entry directory' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '▸'),
      entry.name)
    : h('button', { type: 'button', class: 'entry file link', title: 'Details',
      onclick: () => openDetails(path, deleteFile) }, entry.name);
  const actions = isDirectory
    ? [deleteButton(entry.name, () => deleteDirectory(path))]
    : [h('a', { class: 'button small download', href: downloadHref(path), download: entry.name,
      onclick: (event) => onDownloadClick(event, path).catch((e) => showMessage(byId('files-message'), e.message)) },
      'Download'),
    deleteButton(entry.name, () => deleteFile(path))];
  return h('tr', { 'data-name': entry.name, 'data-type': entry.type },
    h('td', { class: 'name' }, name),
    h('td', { class: 'num' }, isDirectory ? '' : formatBytes(entry.size)),
    h('td', { class: 'muted' }, formatDate(entry.modified)),
    h('td', { class: 'actions' }, actions));
}

function deleteButton(name, onclick) {
  return h('button', { type: 'button', class: 'button small subtle', 'aria-label': `Delete ${name}`, onclick },
    'Delete');
}

async function deleteFile(path) {
  if (await confirmAction('Delete file?', `“${baseName(path)}” will be deleted. This cannot be undone.`)) {
    if (await mutate(() => call('DELETE', url('files', path), { role: 'writer' }))) {
      byId('details-dialog').close();
    }
  }
}

async function deleteDirectory(path) {
  if (await confirmAction('Delete folder?',
    `“${baseName(path)}” and everything in it will be deleted. This cannot be undone.`)) {
    await mutate(() => call('DELETE', url('dirs', path), { role: 'writer', query: { recursive: 'true' } }));
  }
}

async function newFolder() {
  const name = await askFolderName();
  if (name) {
    await mutate(() => call('PUT', url('dirs', join(view.directory, name)), { role: 'writer' }));
  }
}

/** Runs a change, then shows the page again; or says why the change failed and resolves to false. */
async function mutate(change) {
  try {
    await change();
  } catch (e) {
    // Said where it is seen: in the file's details when they are open over the listing.
    const details = byId('details-dialog');
    showMessage(byId(details.open ? 'details-message' : 'files-message'), e.message);
    return false;
  }
  await reload();
  return true;
}
