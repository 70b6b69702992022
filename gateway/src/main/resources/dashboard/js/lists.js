// The admin lists (tokens, IP grants, S3 keys): a table filled from one GET, or emptied with the
// reason beside it.

import { request } from './api.js';
import { byId, fill, h, showMessage } from './dom.js';

/**
 * Fills the table body `entries` (an id) with a row per item of the answer's `field` (in `order` when
 * given), or one line saying `empty`; a failure empties it and is said in `message` (an id). Resolves
 * to whether the list could be read.
 */
export async function loadList(href, options, { entries, message, field, columns, empty, row, order }) {
  try {
    const { data } = await request('GET', href, options);
    const items = [...(data[field] || [])];
    if (order) {
      items.sort(order);
    }
    fill(byId(entries), items.length ? items.map(row)
      : h('tr', {}, h('td', { colspan: columns, class: 'muted empty' }, empty)));
    showMessage(byId(message), '');
    return true;
  } catch (e) {
    fill(byId(entries));
    showMessage(byId(message), e.message);
    return false;
  }
}
