// The signed-in token's own S3 keys (GET/POST/DELETE /api/v1/s3-keys): any role may list, create and
// revoke its own; a new key's secret is shown once.

import { request, url } from './api.js';
import { confirmAction } from './dialogs.js';
import { byId, fill, formatDate, h, showMessage } from './dom.js';
import { showSecret } from './secret.js';

const OPTIONS = { role: 'reader', feature: 'S3 keys' };

/** The token whose keys are shown; an admin's listing would otherwise hold every token's keys. */
let owner = '';

export function initKeys() {
  byId('keys-create').addEventListener('click', create);
}

/** Shows the keys of token `tokenId` (whoami's id). */
export async function loadKeys(tokenId = owner) {
  owner = tokenId;
  try {
    const { data } = await request('GET', url('s3-keys'), { ...OPTIONS, query: owner ? { token: owner } : undefined });
    const keys = data.keys || [];
    fill(byId('key-entries'), keys.length ? keys.map(row)
      : h('tr', {}, h('td', { colspan: 3, class: 'muted empty' }, 'No S3 key.')));
    showMessage(byId('keys-message'), '');
    return true;
  } catch (e) {
    fill(byId('key-entries'));
    showMessage(byId('keys-message'), e.message);
    return false;
  }
}

async function create() {
  try {
    const { data } = await request('POST', url('s3-keys'), OPTIONS);
    showSecret(byId('key-secret'), `S3 key ${data.accessKeyId}`,
      [{ label: 'Access key id', value: data.accessKeyId }, { label: 'Secret key', value: data.secretKey }]);
    await loadKeys();
  } catch (e) {
    showMessage(byId('keys-message'), e.message);
  }
}

async function revoke(key) {
  const confirmed = await confirmAction(`Revoke S3 key ${key.accessKeyId}?`,
    'Requests signed with it are refused from now on.', 'Revoke');
  if (!confirmed) {
    return;
  }
  try {
    await request('DELETE', url('s3-keys', key.accessKeyId), OPTIONS);
    if (await loadKeys()) {
      showMessage(byId('keys-message'), `S3 key ${key.accessKeyId} revoked.`, 'ok');
    }
  } catch (e) {
    showMessage(byId('keys-message'), e.message);
  }
}

function row(key) {
  return h('tr', { 'data-key': key.accessKeyId },
    h('td', {}, h('code', {}, key.accessKeyId)),
    h('td', {}, formatDate(key.created)),
    h('td', { class: 'actions' },
      h('button', { type: 'button', class: 'button small danger', onclick: () => revoke(key) }, 'Revoke')));
}
