// The cluster view's live charts over the last five minutes: throughput and request rate from the
// gateway's GET /metrics (public, same origin), sampled every few seconds and differenced into rates;
// repair activity from the GET /api/v1/cluster answers the cluster view loads anyway (the repair queue
// and copies in flight are the master's, not the gateway's). Nothing is sampled while the tab is hidden.

import { chartFigure, drawChart } from './charts.js';
import { byId, fill, formatBytes, h, showMessage } from './dom.js';
import { parseMetrics, total } from './metrics.js';

const SAMPLE_MS = 3000;
/** A scrape not answered by then is given up, so the next one can start. */
const SCRAPE_DEADLINE_MS = 10_000;
const WINDOW_MS = 5 * 60 * 1000;

const charts = {
  throughput: {
    figure: chartFigure('throughput', 'Throughput', 'bytes per second',
      [{ key: 'in', label: 'in' }, { key: 'out', label: 'out' }]),
    format: (value) => `${formatBytes(value)}/s`,
    binary: true,
    points: [],
  },
  requests: {
    figure: chartFigure('requests', 'Requests', 'per second, this page\'s own included',
      [{ key: 'all', label: 'all' }, { key: 'errors', label: 'answered 4xx/5xx' }]),
    format: formatRate,
    points: [],
  },
  repairs: {
    figure: chartFigure('repairs', 'Repairs', 'chunks, from the master',
      [{ key: 'queued', label: 'queued' }, { key: 'running', label: 'copying' },
        { key: 'under-replicated', label: 'under-replicated' }]),
    format: (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1)),
    points: [],
  },
};

/** The previous scrape's counters, to difference against; null after a gap. */
let previous = null;
let timer = null;
/** A scrape slower than the interval is not overlapped by the next, which would difference out of order. */
let sampling = false;

export function initLive() {
  const message = h('p', { class: 'message', id: 'charts-message', hidden: true });
  fill(byId('charts'), message, Object.values(charts).map((c) => c.figure));
  document.addEventListener('visibilitychange', () => (document.hidden ? pause() : resume()));
  if (!document.hidden) {
    resume();
  }
  redraw();
}

/** Records the repair figures of a GET /api/v1/cluster answer. */
export function recordCluster(cluster) {
  if (document.hidden) {
    return;
  }
  add(charts.repairs, [cluster.repairQueueLength ?? null, cluster.repairsInFlight ?? null,
    cluster.underReplicatedChunks ?? null]);
  redraw();
}

function resume() {
  if (timer === null) {
    sample();
    timer = setInterval(sample, SAMPLE_MS);
  }
}

/** Stops sampling, and breaks every line: no rate is computed across the time the tab was hidden. */
function pause() {
  clearInterval(timer);
  timer = null;
  previous = null;
  for (const chart of Object.values(charts)) {
    chart.points.push({ at: Date.now(), values: null });
  }
}

async function sample() {
  if (sampling) {
    return;
  }
  sampling = true;
  try {
    await scrape();
  } finally {
    sampling = false;
  }
}

async function scrape() {
  let text;
  try {
    const response = await fetch('metrics', { cache: 'no-store', signal: AbortSignal.timeout(SCRAPE_DEADLINE_MS) });
    if (!response.ok) {
      throw new Error(`GET /metrics answered ${response.status}`);
    }
    text = await response.text();
  } catch (e) {
    previous = null;
    const reason = e.name === 'TimeoutError' ? `no answer within ${SCRAPE_DEADLINE_MS / 1000} seconds`
      : e.message.startsWith('GET') ? e.message : 'the gateway cannot be reached';
    showMessage(byId('charts-message'), `Live charts unavailable: ${reason}.`);
    return;
  }
  showMessage(byId('charts-message'), '');
  const samples = parseMetrics(text);
  const now = {
    at: Date.now(),
    bytesIn: total(samples, 'granary_http_request_body_bytes_total'),
    bytesOut: total(samples, 'granary_http_response_body_bytes_total'),
    requests: total(samples, 'granary_http_requests_seconds_count'),
    errors: total(samples, 'granary_http_requests_seconds_count', (labels) => Number(labels.status) >= 400),
  };
  if (previous) {
    const rate = (key) => perSecond(previous, now, key);
    add(charts.throughput, [rate('bytesIn'), rate('bytesOut')], now.at);
    add(charts.requests, [rate('requests'), rate('errors')], now.at);
  }
  previous = now;
  redraw();
}

/** The counter's increase per second between two scrapes; null when it went down (the gateway restarted). */
function perSecond(before, after, key) {
  const seconds = (after.at - before.at) / 1000;
  const increase = after[key] - before[key];
  return seconds > 0 && increase >= 0 ? increase / seconds : null;
}

/** Adds a point and forgets those that have left the window. */
function add(chart, values, at = Date.now()) {
  chart.points.push({ at, values });
  const start = at - WINDOW_MS;
  while (chart.points.length && chart.points[0].at < start) {
    chart.points.shift();
  }
}

function redraw() {
  const now = Date.now();
  for (const chart of Object.values(charts)) {
    drawChart(chart.figure, chart.points, { windowMs: WINDOW_MS, now, format: chart.format, binary: chart.binary });
  }
}

function formatRate(value) {
  return `${value === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)}/s`;
}
