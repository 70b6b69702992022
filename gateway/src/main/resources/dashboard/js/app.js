// The dashboard's entry point: the session header, the cluster view and its live charts, the file browser
// and the audit log.

import { initAudit } from './audit.js';
import { initCluster, refresh as refreshCluster } from './cluster.js';
import { byId } from './dom.js';
import { initFiles, reload } from './files.js';
import { initLive } from './live.js';
import { initSession } from './session.js';

byId('details-close').addEventListener('click', () => byId('details-dialog').close());
// A new token may see more (or less): show both views again at once.
initSession(() => {
  reload();
  refreshCluster();
});
initLive();
initCluster();
initFiles();
initAudit();
