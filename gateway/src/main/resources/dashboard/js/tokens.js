// Token administration (admins): the tokens of GET /api/v1/admin/tokens, a form that creates one and
// shows its secret once, and revoking one after a confirmation.

import { request, url } from './api.js';
import { confirmAction } from './dialogs.js';
import { byId, formatDate, h, showMessage } from './dom.js';
import { loadList } from './lists.js';
import { showSecret } from './secret.js';

const OPTIONS = { role: 'admin', feature: 'Token administration' };

export function initTokens() {
  byId('tokens-refresh').addEventListener('click', loadTokens);
  byId('new-token').addEventListener('submit', (event) => {
    event.preventDefault();
    create();
  });
}

/** Reloads the list; resolves to whether it could. */
export function loadTokens() {
  return loadList(url('admin/tokens'), OPTIONS, { entries: 'token-entries', message: 'tokens-message', field: 'tokens',
    columns: 6, empty: 'No token.', row, order: (a, b) => String(a.created).localeCompare(String(b.created)) });
}

async function create() {
  const name = byId('new-token-name').value.trim();
  const body = { name, role: byId('new-token-role').value };
  const expiresIn = Number(byId('new-token-expires').value);
  if (expiresIn > 0) {
    body.expiresIn = expiresIn;
  }
  try {
    const { data } = await request('POST', url('admin/tokens'), { ...OPTIONS, body });
    byId('new-token-name').value = '';
    showSecret(byId('token-secret'), `Token "${data.name}" (${data.role}, ${data.id})`,
      [{ label: 'Token', value: data.token }]);
    showMessage(byId('tokens-message'), '');
    await loadTokens();
  } catch (e) {
    showMessage(byId('tokens-message'), e.message);
  }
}

async function revoke(token) {
  const confirmed = await confirmAction(`Revoke token "${token.name}"?`,
    `Every request with ${token.id} (${token.role}), and with its S3 keys, is refused from now on. `
    + 'This cannot be undone.', 'Revoke');
  if (!confirmed) {
    return;
  }
  try {
    await request('DELETE', url('admin/tokens', token.id), OPTIONS);
    if (await loadTokens()) {
      showMessage(byId('tokens-message'), `Token "${token.name}" revoked.`, 'ok');
    }
  } catch (e) {
    showMessage(byId('tokens-message'), e.message);
  }
}

function row(token) {
  return h('tr', { 'data-token': token.id },
    h('td', { class: 'name' }, token.name),
    h('td', {}, h('span', { class: `badge role-${token.role}` }, token.role)),
    h('td', { class: 'muted' }, h('code', {}, token.id)),
    h('td', {}, formatDate(token.created)),
    h('td', {}, token.expires ? formatDate(token.expires) : 'never'),
    h('td', { class: 'actions' },
      h('button', { type: 'button', class: 'button small danger', onclick: () => revoke(token) }, 'Revoke')));
}
