// The cluster view: every chunkserver with a capacity bar, alive or dead, draining or decommissioned,
// the age of its last heartbeat (ticking every second between refreshes), and the replication counts
// of GET /api/v1/cluster. It is not reloaded while the tab is hidden, and is at once when shown again.

import { request, url } from './api.js';
import { byId, fill, formatAge, formatBytes, h, showMessage } from './dom.js';
import { recordCluster } from './live.js';

const REFRESH_MS = 3000;

/** Server time minus browser time, from the Date header: heartbeat ages use the gateway's clock. */
let clockSkewMs = 0;
let refreshing = false;

export function initCluster() {
  refresh();
  setInterval(() => document.hidden || refresh(), REFRESH_MS);
  setInterval(tickAges, 1000);
  document.addEventListener('visibilitychange', () => document.hidden || refresh());
}

/** Reloads the cluster's state; overlapping refreshes are skipped, so a slow master is not piled on. */
export async function refresh() {
  if (refreshing) {
    return;
  }
  refreshing = true;
  try {
    const { data, response } = await request('GET', url('cluster'));
    const serverDate = Date.parse(response.headers.get('Date') || '');
    clockSkewMs = Number.isNaN(serverDate) ? 0 : serverDate - Date.now();
    render(data);
    recordCluster(data);
    showMessage(byId('cluster-message'), '');
  } catch (e) {
    showMessage(byId('cluster-message'), `Cluster state unavailable: ${e.message}`);
  } finally {
    refreshing = false;
  }
}

function render(cluster) {
  const master = cluster.master || {};
  // The cluster has no name of its own: it is known by the gateway's address; the master's id is a hint.
  const name = byId('cluster-name');
  name.textContent = location.host;
  name.title = master.id ? `master: ${master.id}` : '';
  byId('cluster-updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  fill(byId('health'), ...healthTiles(cluster));
  const servers = [...(cluster.chunkservers || [])].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  fill(byId('servers'), servers.length
    ? servers.map(serverCard)
    : h('p', { class: 'muted' }, 'No chunkserver has registered yet.'));
  tickAges();
}

function healthTiles(cluster) {
  const master = cluster.master || {};
  const live = (cluster.chunkservers || []).filter((s) => s.alive).length;
  const tiles = [
    tile('Chunkservers alive', `${live} / ${(cluster.chunkservers || []).length}`,
      live >= (cluster.defaultReplication || 1) ? 'ok' : 'bad'),
    tile('Under-replicated chunks', cluster.underReplicatedChunks, cluster.underReplicatedChunks > 0 ? 'warn' : 'ok'),
    tile('Missing chunks', cluster.missingChunks, cluster.missingChunks > 0 ? 'bad' : 'ok'),
    tile('Corrupt chunks', cluster.corruptChunks, cluster.corruptChunks > 0 ? 'bad' : 'ok'),
    tile('Repairs (queued / running)', `${cluster.repairQueueLength ?? 0} / ${cluster.repairsInFlight ?? 0}`,
      cluster.repairQueueLength > 0 ? 'warn' : 'ok'),
  ];
  if (cluster.gcPendingBytes !== undefined) {
    tiles.push(tile('Pending garbage collection',
      `${formatBytes(cluster.gcPendingBytes)}${cluster.trashChunks ? ` · ${cluster.trashChunks} in trash` : ''}`, 'plain'));
  }
  tiles.push(tile('Metadata store', master.metadataStoreReachable ? 'reachable' : 'unreachable',
    master.metadataStoreReachable ? 'ok' : 'bad', master.metadataStoreError));
  if (master.safeMode) {
    tiles.push(tile('Safe mode', 'on', 'warn', master.safeModeDetail));
  }
  tiles.push(balancerTile(cluster.balancer || {}));
  return tiles;
}

/** The balancer's state, with the average usage and the moves done while it is on. */
function balancerTile(balancer) {
  const state = balancer.state || 'off';
  const el = state === 'off'
    ? tile('Balancer', 'off', 'plain', 'not enabled on the master (--balancer)')
    : tile('Balancer', state, state === 'balanced' ? 'ok' : 'warn', balancerTitle(balancer));
  el.dataset.balancer = state;
  return el;
}

function balancerTitle(balancer) {
  const outside = (balancer.outsideThreshold || []).length;
  return [
    `average usage ${Number(balancer.averageUsagePercent || 0).toFixed(1)}%, threshold ${balancer.thresholdPercent} points`,
    outside ? `${outside} chunkserver(s) outside it: ${balancer.outsideThreshold.join(', ')}` : '',
    `${balancer.movesInFlight} move(s) in flight, ${balancer.chunksMoved} done (${formatBytes(balancer.bytesMoved)})`,
    balancer.detail || '',
  ].filter(Boolean).join('\n');
}

function tile(label, value, state, title) {
  return h('div', { class: `tile ${state}`, title },
    h('div', { class: 'tile-value' }, value ?? '–'),
    h('div', { class: 'tile-label' }, label));
}

function serverCard(server) {
  const capacity = Number(server.capacityBytes) || 0;
  const used = Number(server.usedBytes) || 0;
  const percent = capacity > 0 ? Math.min(100, (100 * used) / capacity) : 0;
  const bar = h('div', { class: `bar-fill ${percent > 90 ? 'bad' : percent > 75 ? 'warn' : ''}` });
  bar.style.width = `${percent.toFixed(1)}%`;
  return h('article', { class: `server ${server.alive ? 'alive' : 'dead'}`, 'data-chunkserver': server.id },
    h('div', { class: 'server-head' },
      h('span', { class: 'server-id' }, server.id),
      decommissionBadge(server),
      h('span', { class: `badge ${server.alive ? 'ok' : 'bad'}`, 'data-state': '' }, server.alive ? 'alive' : 'dead')),
    h('div', { class: 'server-address muted' }, server.address),
    h('div', { class: 'bar', role: 'meter', 'aria-label': `${server.id} capacity used`,
      'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent.toFixed(0) }, bar),
    h('div', { class: 'server-stats' },
      h('span', {}, `${formatBytes(used)} of ${formatBytes(capacity)}`),
      h('span', {}, `${server.chunks} chunks`)),
    h('div', { class: 'server-beat muted', 'data-heartbeat': server.lastHeartbeat || '' }));
}

/** Nothing for a chunkserver in service; else its state, with what is left to copy while it drains. */
function decommissionBadge(server) {
  if (!server.state || server.state === 'normal') {
    return null;
  }
  const draining = server.state === 'draining';
  const title = draining
    ? `${server.chunksToMove ?? 0} chunk(s) still to copy elsewhere${server.decommissionDetail ? `: ${server.decommissionDetail}` : ''}`
    : 'every chunk it held has its replication elsewhere: it may be stopped';
  return h('span', { class: `badge ${draining ? 'warn' : ''}`, 'data-decommission': server.state, title },
    draining ? `draining · ${server.chunksToMove ?? 0} to copy` : server.state);
}

function tickAges() {
  const now = Date.now() + clockSkewMs;
  for (const element of document.querySelectorAll('[data-heartbeat]')) {
    const at = Date.parse(element.dataset.heartbeat);
    element.textContent = Number.isNaN(at) ? 'no heartbeat yet' : `heartbeat ${formatAge(now - at)} ago`;
  }
}
