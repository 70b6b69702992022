// IP grant administration (admins): the live grants of GET /api/v1/grants, a form that lets an address
// block read a file or a directory tree without a token until it expires, and revoking one after a
// confirmation.

import { request, url } from './api.js';
import { confirmAction } from './dialogs.js';
import { byId, formatDate, h, showMessage } from './dom.js';
import { loadList } from './lists.js';

const OPTIONS = { role: 'admin', feature: 'IP grants' };

export function initGrants() {
  byId('grants-refresh').addEventListener('click', loadGrants);
  byId('new-grant').addEventListener('submit', (event) => {
    event.preventDefault();
    create();
  });
}

/** Reloads the list; resolves to whether it could. */
export function loadGrants() {
  return loadList(url('grants'), OPTIONS, { entries: 'grant-entries', message: 'grants-message', field: 'grants',
    columns: 6, empty: 'No live grant.', row });
}

async function create() {
  const typed = byId('new-grant-path').value.trim();
  const body = {
    path: typed.startsWith('/') ? typed : `/${typed}`,
    cidr: byId('new-grant-cidr').value.trim(),
    expiresIn: Number(byId('new-grant-expires').value),
  };
  try {
    const { data } = await request('POST', url('grants'), { ...OPTIONS, body });
    if (await loadGrants()) {
      showMessage(byId('grants-message'), `${data.cidr} may read ${data.path} until ${formatDate(data.expires)}.`, 'ok');
    }
  } catch (e) {
    showMessage(byId('grants-message'), e.message);
  }
}

async function revoke(grant) {
  const confirmed = await confirmAction('Revoke this grant?',
    `${grant.cidr} can no longer read ${grant.path} without a token.`, 'Revoke');
  if (!confirmed) {
    return;
  }
  try {
    await request('DELETE', url('grants', grant.id), OPTIONS);
    if (await loadGrants()) {
      showMessage(byId('grants-message'), `The grant of ${grant.path} to ${grant.cidr} is revoked.`, 'ok');
    }
  } catch (e) {
    showMessage(byId('grants-message'), e.message);
  }
}

function row(grant) {
  return h('tr', { 'data-grant': grant.id },
    h('td', { class: 'name' }, grant.path),
    h('td', {}, h('code', {}, grant.cidr)),
    h('td', {}, formatDate(grant.expires)),
    h('td', {}, formatDate(grant.created)),
    h('td', { class: 'muted' }, grant.creator),
    h('td', { class: 'actions' },
      h('button', { type: 'button', class: 'button small danger', onclick: () => revoke(grant) }, 'Revoke')));
}
