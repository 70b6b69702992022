// The signed-in token's own S3 keys (GET/POST/DELETE /api/v1/s3-keys): any role may list, create and
// revoke its own; a new key's secret is shown once.

import { request, url } from './api.js';
import { confirmAction } from './dialogs.js';
import { byId, formatDate, h, showMessage } from './dom.js';
import { loadList } from './lists.js';
import { showSecret } from './secret.js';

const OPTIONS = { role: 'reader', feature: 'S3 keys' };

/** The token whose keys are shown; an admin's listing would otherwise hold every token's keys. */
let owner = '';

export function initKeys() {
  byId('keys-create').addEventListener('click', create);
}

/** Shows the keys of token `tokenId` (whoami's id). */
export function loadKeys(tokenId = owner) {
  owner = tokenId;
  return loadList(url('s3-keys'), { ...OPTIONS, query: owner ? { token: owner } : undefined },
    { entries: 'key-entries', message: 'keys-message', field: 'keys', columns: 3, empty: 'No S3 key.', row });
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
