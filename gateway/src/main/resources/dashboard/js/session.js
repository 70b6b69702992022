// Who is using the page: the token kept in this tab's session storage, the sign-in dialog, and the name and
// role that /api/v1/whoami gives for it (where the gateway has access control).

import { call, setToken, token, url } from './api.js';
import { byId, fill, h } from './dom.js';

/**
 * Wires the header's session controls; `onChange` runs after signing in or out with what
 * refreshWhoami resolved to. Resolves to that for the token the tab already holds.
 */
export function initSession(onChange) {
  const dialog = byId('token-dialog');
  const input = byId('token-input');
  byId('sign-in').addEventListener('click', () => {
    input.value = '';
    dialog.showModal();
  });
  byId('token-cancel').addEventListener('click', () => dialog.close());
  byId('token-form').addEventListener('submit', () => {
    setToken(input.value.trim());
    input.value = '';
    refreshWhoami().then(onChange);
  });
  byId('sign-out').addEventListener('click', () => {
    setToken('');
    refreshWhoami().then(onChange);
  });
  return refreshWhoami();
}

/**
 * Shows who the token belongs to, or that the gateway has no access control, or none at all; resolves
 * to whoami's `{id, name, role}`, to `{unavailable: true}` without access control, and to an object
 * without a role when there is no token or the gateway refused it.
 */
export async function refreshWhoami() {
  const signedIn = Boolean(token());
  byId('sign-in').hidden = signedIn;
  byId('sign-out').hidden = !signedIn;
  const target = byId('whoami');
  if (!signedIn) {
    fill(target, h('span', { class: 'muted' }, 'no token'));
    return {};
  }
  try {
    const me = await call('GET', url('whoami'), { feature: 'Sign-in' });
    fill(target, h('span', { class: 'who' }, me.name ?? me.id ?? 'signed in'), ' ',
      h('span', { class: `badge role-${String(me.role)}` }, me.role ?? ''));
    return me;
  } catch (e) {
    fill(target, h('span', { class: e.unavailable ? 'muted' : 'warn' },
      e.unavailable ? 'token kept; this gateway has no access control' : e.message));
    return { unavailable: Boolean(e.unavailable) };
  }
}
