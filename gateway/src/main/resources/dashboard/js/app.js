// The dashboard's entry point: the session header, the cluster view and its live charts, the file browser,
// and for the roles allowed them the administration of tokens and IP grants, one's S3 keys and the audit log.

import { initAudit } from './audit.js';
import { initCluster, refresh as refreshCluster } from './cluster.js';
import { byId } from './dom.js';
import { initFiles, reload } from './files.js';
import { initGrants, loadGrants } from './grants.js';
import { initKeys, loadKeys } from './keys.js';
import { initLive } from './live.js';
import { showSectionsFor } from './roles.js';
import { hideSecret } from './secret.js';
import { initSession } from './session.js';
import { initTokens, loadTokens } from './tokens.js';

/**
 * Shows the sections the token may use and loads those that list something; empties the others, and
 * hides any secret shown, so that nothing shown to a previous token stays in the page.
 */
function showSessionOf(who) {
  const allows = showSectionsFor(who);
  hideSecret(byId('token-secret'));
  hideSecret(byId('key-secret'));
  if (allows('admin')) {
    loadTokens();
    loadGrants();
  } else {
    ['token-entries', 'grant-entries', 'audit-entries'].forEach((id) => byId(id).replaceChildren());
  }
  if (allows('reader')) {
    loadKeys(who.id || '');
  } else {
    byId('key-entries').replaceChildren();
  }
}

byId('details-close').addEventListener('click', () => byId('details-dialog').close());
// A new token may see more (or less): show every view again at once.
initSession((who) => {
  showSessionOf(who);
  reload();
  refreshCluster();
}).then(showSessionOf);
initLive();
initCluster();
initFiles();
initAudit();
initTokens();
initGrants();
initKeys();
