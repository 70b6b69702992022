// What can be done with one file: preview it, download it, see its stat, make it public or
// private, copy a presigned link.
//
// Downloads: without a token a plain link is the best download there is (the browser streams it
// to disk, with its own progress and resume). A link cannot carry an Authorization header, so with
// a token the page asks for a presigned GET URL (valid a few minutes) and lets the browser follow
// it: still streamed to disk by the browser, never held in the page's memory as a fetch into a Blob
// would be, and the token itself never appears in a URL or the history. When the gateway has no
// presigning, the plain link is followed (a public file, or a gateway without access control).
//
// Previews: only the types the gateway itself serves inline (UserContent.INLINE: raster images,
// video, audio, plain text) are previewed; HTML, SVG and everything else are not, whatever their
// name says. Images and media load from the file's own URL, the same /files response a download
// gets (CSP sandbox, nosniff), so nothing in them runs with the dashboard's origin; with a token that
// URL is a short-lived presigned one, as for downloads. Text is read with a Range request (the
// token in its header) up to PREVIEW_TEXT_BYTES and shown as text, never as HTML.

import { authHeaders, call, deadline, failure, token, unreachable, url } from './api.js';
import { copyText } from './clipboard.js';
import { byId, fill, formatBytes, formatDate, h, showMessage } from './dom.js';
import { baseName } from './location.js';

const DOWNLOAD_LINK_SECONDS = 300;
const SHARE_LINK_SECONDS = 3600;
const PREVIEW_LINK_SECONDS = 300;
const PREVIEW_TEXT_BYTES = 64 * 1024;

/** The types the gateway serves inline (UserContent.INLINE), plus every video and audio type. */
const INLINE = new Set(['text/plain', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif',
  'image/bmp', 'image/x-icon', 'image/vnd.microsoft.icon']);

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
/** Counts the files opened, so that a slow answer for an earlier one is not shown for a later one. */
let shownGeneration = 0;

/** Opens the details dialog of the file at `path`; its Delete button calls `onDelete(path)`. */
export function openDetails(path, onDelete) {
  onDeleteCurrent = onDelete;
  const dialog = byId('details-dialog');
  byId('link-box').hidden = true;
  showMessage(byId('details-message'), '');
  if (!dialog.open) {
    dialog.showModal();
    // Closing stops a playing preview and lets its presigned URL go.
    dialog.addEventListener('close', () => clearPreview(), { once: true });
  }
  return render(path);
}

async function render(path) {
  const generation = ++shownGeneration;
  byId('details-title').textContent = baseName(path);
  fill(byId('details-facts'));
  fill(byId('details-actions'));
  clearPreview();
  try {
    const stat = await call('GET', url('stat', path));
    if (generation !== shownGeneration) {
      return;
    }
    renderFacts(stat);
    renderActions(path, stat);
    await renderPreview(path, stat, generation);
  } catch (e) {
    showMessage(byId('details-message'), e.message);
  }
}

function clearPreview() {
  const preview = byId('details-preview');
  fill(preview);
  preview.hidden = true;
  delete preview.dataset.preview;
}

/** What kind of preview a type gets: 'image', 'video', 'audio', 'text', or null for none. */
function previewKind(contentType) {
  const base = String(contentType || '').split(';')[0].trim().toLowerCase();
  if (base.startsWith('video/')) {
    return 'video';
  }
  if (base.startsWith('audio/')) {
    return 'audio';
  }
  if (!INLINE.has(base)) {
    return null;
  }
  return base === 'text/plain' ? 'text' : 'image';
}

async function renderPreview(path, stat, generation) {
  const preview = byId('details-preview');
  const kind = previewKind(stat.contentType);
  const show = (...children) => {
    if (generation === shownGeneration) {
      preview.dataset.preview = kind ?? 'none';
      fill(preview, children);
      preview.hidden = false;
    }
  };
  if (!kind) {
    show(h('p', { class: 'muted' }, `No preview for ${stat.contentType || 'this type'}: only images, video, `
      + 'audio and plain text are shown here. Download it to open it.'));
    return;
  }
  try {
    if (kind === 'text') {
      const { text, truncated } = await readText(path, Number(stat.size) || 0);
      show(h('pre', { class: 'preview-text' }, text),
        truncated ? h('p', { class: 'muted' }, `The first ${formatBytes(PREVIEW_TEXT_BYTES)} of `
          + `${formatBytes(stat.size)} are shown.`) : null);
      return;
    }
    const src = await mediaSource(path);
    const failed = () => show(h('p', { class: 'muted' }, `This ${kind} cannot be shown by this browser.`));
    const name = baseName(path);
    const media = kind === 'image'
      ? h('img', { src, alt: `Preview of ${name}`, class: 'preview-media', onerror: failed })
      : h(kind, { src, controls: true, preload: 'metadata', class: 'preview-media', 'aria-label': `Preview of ${name}`,
        onerror: failed });
    show(media);
  } catch (e) {
    show(h('p', { class: 'muted' }, `No preview: ${e.message}`));
  }
}

/** The first PREVIEW_TEXT_BYTES of a file as UTF-8 (a character cut at the end shows as �). */
async function readText(path, size) {
  if (size === 0) {
    return { text: '', truncated: false };
  }
  let response;
  try {
    response = await fetch(url('files', path), {
      headers: { Range: `bytes=0-${PREVIEW_TEXT_BYTES - 1}`, ...authHeaders() },
      cache: 'no-store',
      signal: deadline(),
    });
  } catch (e) {
    throw unreachable(e);
  }
  if (!response.ok) {
    throw await failure(response);
  }
  const bytes = await readAtMost(response, PREVIEW_TEXT_BYTES);
  return { text: new TextDecoder('utf-8').decode(bytes), truncated: size > PREVIEW_TEXT_BYTES };
}

/**
 * At most `limit` bytes of a response's body, then the rest is cancelled: a server (or a proxy) that
 * ignores the Range header cannot make the page hold a whole file.
 */
async function readAtMost(response, limit) {
  const bytes = new Uint8Array(limit);
  let length = 0;
  const reader = response.body.getReader();
  while (length < limit) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    const taken = value.subarray(0, limit - length);
    bytes.set(taken, length);
    length += taken.length;
  }
  await reader.cancel().catch(() => {});
  return bytes.subarray(0, length);
}

/** Where media is loaded from: a presigned URL with a token (an <img> cannot send a header). */
async function mediaSource(path) {
  if (!token()) {
    return url('files', path);
  }
  try {
    return await presign(path, PREVIEW_LINK_SECONDS);
  } catch (e) {
    if (e.unavailable) {
      return url('files', path);
    }
    throw e;
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
    const copied = await copyText(link);
    showMessage(message, `${copied ? 'Link copied' : 'Copy the selected link'}: anyone holding it can `
      + 'download this file for an hour.', 'ok');
  } catch (e) {
    showMessage(message, e.message);
  }
}
