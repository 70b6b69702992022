// What can be done with one file: download it, see its stat, make it public or private, copy a
// presigned link.
//
// Downloads: without a token a plain link is the best download there is (the browser streams it
// to disk, with its own progress and resume). A link cannot carry an Authorization header, so with
// a token the page asks for a presigned GET URL (valid a few minutes) and lets the browser follow
// it: still streamed to disk by the browser, never held in the page's memory as a fetch into a Blob
// would be, and the token itself never appears in a URL or the history. When the gateway has no
// presigning, the plain link is followed (a public file, or a gateway without access control).

import { call, token, url } from './api.js';
import { byId, fill, formatBytes, formatDate, h, showMessage } from './dom.js';
import { baseName } from './location.js';

const DOWNLOAD_LINK_SECONDS = 300;
const SHARE_LINK_SECONDS = 3600;

/** The plain download address of a file: `?download=1` makes the gateway send it as an attachment. */
export function downloadHref(path) {
  return `${url('files', path)}?download=1`;
}

/** Click handler of a download link: with a token, follows a presigned URL instead. */
export async function onDownloadClick(event, path) {
  if (!token()) {
    return;
  }
  event.preventDefault();
  const link = event.currentTarget;
  try {
    const signed = await presign(path, DOWNLOAD_LINK_SECONDS);
    follow(signed, baseName(path));
  } catch (e) {
    if (e.unavailable) {
      follow(link.getAttribute('href'), baseName(path));
    } else {
      throw e;
    }
  }
}

function follow(href, name) {
  const anchor = h('a', { href, download: name, hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

async function presign(path, seconds) {
  const answer = await call('POST', url('presign'), {
    body: { path: `/${path}`, method: 'GET', expiresIn: seconds },
    role: 'reader',
    feature: 'Presigned links',
  });
  return new URL(answer.url, location.href).href;
}

let onDeleteCurrent = () => {};

/** Opens the details dialog of the file at `path`; its Delete button calls `onDelete(path)`. */
export function openDetails(path, onDelete) {
  onDeleteCurrent = onDelete;
  const dialog = byId('details-dialog');
  byId('link-box').hidden = true;
  showMessage(byId('details-message'), '');
  if (!dialog.open) {
    dialog.showModal();
  }
  return render(path);
}

async function render(path) {
  byId('details-title').textContent = baseName(path);
  fill(byId('details-facts'));
  fill(byId('details-actions'));
  try {
    const stat = await call('GET', url('stat', path));
    renderFacts(stat);
    renderActions(path, stat);
  } catch (e) {
    showMessage(byId('details-message'), e.message);
  }
}

function renderFacts(stat) {
  const facts = [
    ['Path', stat.path],
    ['Size', `${formatBytes(stat.size)} (${Number(stat.size).toLocaleString()} bytes)`],
    ['Content type', stat.contentType],
    ['Modified', formatDate(stat.modified)],
    ['Replication', stat.replication],
    ['Chunks', (stat.chunks || []).length],
    ['SHA-256', stat.sha256],
    ['Owner', stat.owner],
    ['Visibility', stat.visibility ?? 'not available on this gateway'],
  ];
  fill(byId('details-facts'), facts
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([term, value]) => [h('dt', {}, term), h('dd', {}, String(value))]));
}

function renderActions(path, stat) {
  const message = byId('details-message');
  const actions = [
    h('a', { class: 'button', href: downloadHref(path), download: baseName(path),
      onclick: (event) => onDownloadClick(event, path).catch((e) => showMessage(message, e.message)) }, 'Download'),
    h('button', { type: 'button', class: 'button', onclick: () => shareLink(path) }, 'Copy presigned link'),
  ];
  // Unknown visibility (a gateway without it): offer both; the answer says whether it is available.
  if (stat.visibility !== 'public') {
    actions.push(visibilityButton(path, 'public', 'Make public'));
  }
  if (stat.visibility !== 'private') {
    actions.push(visibilityButton(path, 'private', 'Make private'));
  }
  actions.push(h('button', { type: 'button', class: 'button danger', onclick: () => onDeleteCurrent(path) },
    'Delete'));
  fill(byId('details-actions'), actions);
}

function visibilityButton(path, visibility, label) {
  const message = byId('details-message');
  return h('button', { type: 'button', class: 'button', onclick: async () => {
    try {
      await call('PATCH', url('stat', path), { body: { visibility }, role: 'writer', feature: 'Public files' });
      await render(path);
      showMessage(message, `The file is now ${visibility}.`, 'ok');
    } catch (e) {
      showMessage(message, e.message);
    }
  } }, label);
}

/** Presigns a GET for an hour, shows the link, and copies it where the clipboard allows. */
async function shareLink(path) {
  const message = byId('details-message');
  try {
    const link = await presign(path, SHARE_LINK_SECONDS);
    const output = byId('link-output');
    output.value = link;
    byId('link-box').hidden = false;
    output.select();
    const copied = await copyToClipboard(link);
    showMessage(message, `${copied ? 'Link copied' : 'Copy the selected link'}: anyone holding it can `
      + 'download this file for an hour.', 'ok');
  } catch (e) {
    showMessage(message, e.message);
  }
}

/** The clipboard API needs a secure context (https or localhost) and may still refuse. */
async function copyToClipboard(text) {
  if (!navigator.clipboard || !window.isSecureContext) {
    return false;
  }
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    return false;
  }
}
