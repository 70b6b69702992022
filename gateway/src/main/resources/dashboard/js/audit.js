// The audit log (admins only): the newest changes, with who made them, from where and under which
// request id, from GET /api/v1/admin/audit; "Older" follows the page's `next`. Loaded when asked for,
// so a reader or writer never sees a refusal they did not ask for.

import { request, url } from './api.js';
import { byId, fill, formatDate, h, showMessage } from './dom.js';

const PAGE_SIZE = 50;

/** The cursor of the next (older) page; null when none remains or nothing was loaded. */
let next = null;

export function initAudit() {
  byId('audit-load').addEventListener('click', () => load(''));
  byId('audit-older').addEventListener('click', () => load(next));
}

async function load(after) {
  const query = { limit: PAGE_SIZE };
  const filter = byId('audit-path').value.trim();
  if (filter) {
    query.path = filter;
  }
  if (after) {
    query.after = after;
  }
  try {
    const { data } = await request('GET', url('admin/audit'), { role: 'admin', feature: 'The audit log', query });
    next = data.next || null;
    byId('audit-older').disabled = !next;
    const entries = data.entries || [];
    fill(byId('audit-entries'), entries.length ? entries.map(row)
      : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No change recorded here.')));
    showMessage(byId('audit-message'), '');
  } catch (e) {
    showMessage(byId('audit-message'), e.message);
  }
}

function row(entry) {
  return h('tr', {},
    h('td', {}, formatDate(entry.time)),
    h('td', {}, entry.action),
    h('td', {}, entry.path),
    h('td', {}, entry.actor || '(cluster)'),
    h('td', {}, entry.address),
    h('td', {}, entry.detail),
    h('td', { class: 'muted' }, entry.requestId));
}
