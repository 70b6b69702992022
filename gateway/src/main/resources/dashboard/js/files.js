// The file browser: one page of a directory at a time (GET /api/v1/dirs/{path}, cursor paging),
// breadcrumbs, new folders, uploads (files, folders, drag and drop), rename and move, delete of one
// entry or of a selection, and sorting and filtering of the page shown.
//
// Sorting and filtering work on the page in hand (at most PAGE_SIZE entries): the gateway lists in
// byte order of names and pages by cursor, so ordering a whole large directory by size would mean
// reading all of it first.

import { call, url } from './api.js';
import { askRename, confirmAction, askFolderName } from './dialogs.js';
import { downloadHref, onDownloadClick, openDetails } from './details.js';
import { byId, fill, formatBytes, formatDate, h, showMessage } from './dom.js';
import { baseName, directoryInHash, hashOf, join } from './location.js';
import { clearFinished, droppedItems, uploadFiles } from './uploads.js';

const PAGE_SIZE = 100;
const COLUMNS = 5;
/**
 * At most this many deletions of a selection run at once: a large selection goes faster than one by
 * one, without a burst of requests at the gateway and the master behind it.
 */
const MAX_PARALLEL_DELETES = 4;

const NAMES = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const ORDER = {
  name: (a, b) => NAMES.compare(a.name, b.name),
  size: (a, b) => (Number(a.size) || 0) - (Number(b.size) || 0),
  modified: (a, b) => (Date.parse(a.modified) || 0) - (Date.parse(b.modified) || 0),
};

/**
 * The directory shown, the `after` cursor of each page visited so far (the first is ''), the
 * entries of the page in hand (none when it could not be read), how they are sorted and filtered,
 * and the names selected in it.
 */
const view = {
  directory: '', cursors: [''], page: 0, next: null,
  entries: [], failed: false, sort: { key: 'name', order: 'ascending' }, filter: '', selected: new Set(),
};

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
  byId('filter').addEventListener('input', (event) => {
    view.filter = event.target.value.trim().toLowerCase();
    render();
  });
  for (const header of document.querySelectorAll('#listing th[data-sort]')) {
    header.querySelector('button').addEventListener('click', () => sortBy(header.dataset.sort));
  }
  byId('select-all').addEventListener('change', (event) => {
    for (const entry of shown()) {
      if (event.target.checked) {
        view.selected.add(entry.name);
      } else {
        view.selected.delete(entry.name);
      }
    }
    render();
  });
  byId('delete-selected').addEventListener('click', deleteSelected);
  initDropZone();
  open(directoryInHash() ?? '');
}

/** Shows the first page of `directory`. */
export function open(directory) {
  Object.assign(view, { directory, cursors: [''], page: 0, next: null, filter: '' });
  byId('filter').value = '';
  view.selected.clear();
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
  view.selected.clear();
  return load();
}

async function load() {
  const message = byId('files-message');
  const after = view.cursors[view.page];
  try {
    const page = await call('GET', url('dirs', view.directory),
      { query: after ? { limit: PAGE_SIZE, after } : { limit: PAGE_SIZE } });
    view.next = page.next ?? null;
    view.entries = page.entries || [];
    view.failed = false;
    showMessage(message, '');
  } catch (e) {
    view.next = null;
    view.entries = [];
    view.failed = true;
    showMessage(message, e.message);
  }
  render();
  const paged = view.page > 0 || view.next;
  byId('page-prev').disabled = view.page === 0;
  byId('page-next').disabled = !view.next;
  byId('page-info').textContent = paged ? `page ${view.page + 1}; sorting and filtering apply to this page` : '';
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
    droppedItems(event.dataTransfer).then(uploadDropped)
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

/**
 * Creates a drop's empty folders (PUT makes missing parents, like mkdir -p), then uploads its files;
 * says which folders could not be created and why.
 */
async function uploadDropped({ files, folders }) {
  const failures = [];
  for (const folder of folders) {
    try {
      await call('PUT', url('dirs', join(view.directory, folder)), { role: 'writer' });
    } catch (e) {
      failures.push(`“${folder}”: ${e.message}`);
    }
  }
  upload(files);
  if (folders.length) {
    await reload();
  }
  if (failures.length) {
    showMessage(byId('files-message'), `Empty folders not created: ${failures.join('; ')}`);
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

/** The entries of the page that pass the filter, in the chosen order. */
function shown() {
  const { key, order } = view.sort;
  const sign = order === 'ascending' ? 1 : -1;
  return view.entries
    .filter((entry) => !view.filter || entry.name.toLowerCase().includes(view.filter))
    .sort((a, b) => sign * (ORDER[key](a, b) || ORDER.name(a, b)));
}

function sortBy(key) {
  const same = view.sort.key === key;
  view.sort = { key, order: same && view.sort.order === 'ascending' ? 'descending' : 'ascending' };
  render();
}

function render() {
  const entries = shown();
  // What the filter hides is no longer selected: a deletion touches only rows that can be seen.
  const visible = new Set(entries.map((entry) => entry.name));
  for (const name of [...view.selected]) {
    if (!visible.has(name)) {
      view.selected.delete(name);
    }
  }
  let empty = null;
  if (!entries.length && !view.failed) {
    empty = view.entries.length ? `Nothing on this page has “${view.filter}” in its name.` : 'This folder is empty.';
  }
  fill(byId('entries'), empty ? h('tr', {}, h('td', { colspan: COLUMNS, class: 'muted empty' }, empty)) : entries.map(row));
  for (const header of document.querySelectorAll('#listing th[data-sort]')) {
    if (header.dataset.sort === view.sort.key) {
      header.setAttribute('aria-sort', view.sort.order);
    } else {
      header.removeAttribute('aria-sort');
    }
  }
  renderSelection(entries);
}

function renderSelection(entries) {
  const count = view.selected.size;
  const all = byId('select-all');
  all.checked = count > 0 && count === entries.length;
  all.indeterminate = count > 0 && count < entries.length;
  all.disabled = !entries.length;
  const button = byId('delete-selected');
  button.disabled = !count;
  button.textContent = count ? `Delete selected (${count})` : 'Delete selected';
}

function row(entry) {
  const path = join(view.directory, entry.name);
  const isDirectory = entry.type === 'directory';
  const name = isDirectory
    ? h('a', { href: hashOf(path), class: 'entry directory' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '▸'),
      entry.name)
    : h('button', { type: 'button', class: 'entry file link', title: 'Details',
      onclick: () => openDetails(path, deleteFile) }, entry.name);
  const select = h('input', { type: 'checkbox', class: 'select', 'aria-label': `Select ${entry.name}`,
    checked: view.selected.has(entry.name),
    onchange: (event) => {
      if (event.target.checked) {
        view.selected.add(entry.name);
      } else {
        view.selected.delete(entry.name);
      }
      renderSelection(shown());
    } });
  const rename = h('button', { type: 'button', class: 'button small subtle rename', 'aria-label': `Rename ${entry.name}`,
    onclick: () => renameEntry(path) }, 'Rename');
  const actions = isDirectory
    ? [rename, deleteButton(entry.name, () => deleteDirectory(path))]
    : [h('a', { class: 'button small download', href: downloadHref(path), download: entry.name,
      onclick: (event) => onDownloadClick(event, path).catch((e) => showMessage(byId('files-message'), e.message)) },
      'Download'),
    rename, deleteButton(entry.name, () => deleteFile(path))];
  return h('tr', { 'data-name': entry.name, 'data-type': entry.type, 'data-size': entry.size },
    h('td', { class: 'select' }, select),
    h('td', { class: 'name' }, name),
    // A folder's size is that of every file below it, at any depth.
    h('td', { class: 'num', title: isDirectory ? 'everything in this folder' : undefined }, formatBytes(entry.size)),
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
    await mutate(() => removeEntry('directory', path));
  }
}

function removeEntry(type, path) {
  return type === 'directory'
    ? call('DELETE', url('dirs', path), { role: 'writer', query: { recursive: 'true' } })
    : call('DELETE', url('files', path), { role: 'writer' });
}

/**
 * Deletes every selected entry after one confirmation, MAX_PARALLEL_DELETES at a time; says which
 * ones could not be deleted and why.
 */
async function deleteSelected() {
  const chosen = view.entries.filter((entry) => view.selected.has(entry.name));
  if (!chosen.length) {
    return;
  }
  const folders = chosen.filter((entry) => entry.type === 'directory').length;
  const count = chosen.length === 1 ? '1 selected entry' : `${chosen.length} selected entries`;
  const text = `${count} will be deleted`
    + (folders ? ` (${folders === 1 ? '1 folder' : `${folders} folders`} with everything in them)` : '')
    + '. This cannot be undone.';
  if (!await confirmAction(`Delete ${chosen.length === 1 ? '1 entry' : `${chosen.length} entries`}?`, text)) {
    return;
  }
  const reasons = new Array(chosen.length).fill(null);
  await eachAtMost(MAX_PARALLEL_DELETES, chosen, async (entry, i) => {
    try {
      await removeEntry(entry.type, join(view.directory, entry.name));
    } catch (e) {
      reasons[i] = `“${entry.name}”: ${e.message}`;
    }
  });
  // Failures are named in the page's order of the entries, not in the order the deletions ended.
  const failures = reasons.filter((reason) => reason !== null);
  view.selected.clear();
  await reload();
  const deleted = chosen.length - failures.length;
  showMessage(byId('files-message'), failures.length
    ? `Deleted ${deleted} of ${chosen.length}. Not deleted: ${failures.join('; ')}`
    : `Deleted ${chosen.length === 1 ? '1 entry' : `${chosen.length} entries`}.`, failures.length ? 'error' : 'ok');
}

/** Runs `task(item, index)` for every item, at most `limit` at once; `task` must not reject. */
async function eachAtMost(limit, items, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Renames or moves the entry at `path`: a plain name stays in this folder, "a/b" is below this
 * folder, "/a/b" from the root, ".." goes up. Never replaces anything (the gateway answers 409).
 */
async function renameEntry(path) {
  const message = byId('files-message');
  const answer = await askRename(baseName(path));
  if (!answer) {
    return;
  }
  const target = resolve(view.directory, answer);
  if (!target) {
    showMessage(message, `“${answer}” names no place to move to.`);
    return;
  }
  if (target === path) {
    return;
  }
  try {
    await call('POST', url('rename'), { body: { from: `/${path}`, to: `/${target}`, overwrite: false }, role: 'writer' });
  } catch (e) {
    showMessage(message, e.status === 409
      ? `Not renamed: “/${target}” already exists. Nothing was changed.`
      : `Not renamed: ${e.message}`);
    return;
  }
  await reload();
  showMessage(message, `“/${path}” is now “/${target}”.`, 'ok');
}

/** "b", "sub/b", "/x/b" or "../b" against "a/c" → the path it names, or '' for the root or nothing. */
function resolve(directory, answer) {
  const segments = answer.startsWith('/') ? [] : directory.split('/').filter(Boolean);
  for (const segment of answer.split('/')) {
    if (segment === '..') {
      segments.pop();
    } else if (segment && segment !== '.') {
      segments.push(segment);
    }
  }
  return segments.join('/');
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
