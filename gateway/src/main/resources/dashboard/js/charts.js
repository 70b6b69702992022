// Line charts drawn as inline SVG elements: no library, and nothing but attributes and classes (the page's
// Content-Security-Policy allows no inline style). Each chart is a <figure> whose legend items carry the
// latest value of their series as data-latest, so what the chart shows can be read back exactly.

import { fill, h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const HEIGHT = 120;
/** Room on the left for the scale's labels and at the bottom for the time axis. */
const LEFT = 44;
const BOTTOM = 16;

/** A chart's empty figure; `series` is `[{key, label}]`, drawn in that order with classes series-0, series-1… */
export function chartFigure(key, title, unit, series) {
  return h('figure', { class: 'chart', 'data-chart': key },
    h('figcaption', {}, h('span', { class: 'chart-title' }, title), ' ', h('span', { class: 'muted' }, unit)),
    h('ul', { class: 'legend' }, series.map((s, i) =>
      h('li', { class: `legend-item series-${i}`, 'data-series': s.key },
        h('span', { class: 'legend-label' }, s.label), ' ', h('span', { class: 'legend-value' })))),
    svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `${title}, ${unit}` }));
}

/**
 * Redraws `figure` from `points` (`[{at, values}]`, oldest first; `values` holds one number or null per
 * series, or is null for a gap), over the `windowMs` before `now`; `format` writes a value for people,
 * and `binary` rounds the scale to powers of 1024 (for bytes).
 */
export function drawChart(figure, points, { windowMs, now, format, binary = false }) {
  const items = [...figure.querySelectorAll('.legend-item')];
  const start = now - windowMs;
  const shown = points.filter((p) => p.at >= start);
  const top = niceCeiling(Math.max(0, ...shown.flatMap((p) => (p.values || []).filter(Number.isFinite))), binary);
  const x = (at) => LEFT + ((WIDTH - LEFT) * (at - start)) / windowMs;
  const y = (value) => (HEIGHT - BOTTOM) * (1 - value / top);

  const children = [
    gridLine(0, format(top)),
    gridLine((HEIGHT - BOTTOM) / 2, format(top / 2)),
    gridLine(HEIGHT - BOTTOM, format(0)),
    svg('text', { x: LEFT, y: HEIGHT - 3, class: 'axis' }, `${Math.round(windowMs / 60000)} min ago`),
    svg('text', { x: WIDTH, y: HEIGHT - 3, class: 'axis', 'text-anchor': 'end' }, 'now'),
  ];
  items.forEach((item, i) => {
    const latest = latestPoint(shown, i);
    const line = pathOf(shown, i, x, y);
    if (line) {
      children.push(svg('path', { d: line, class: `line series-${i}` }));
    }
    if (latest) {
      children.push(svg('circle', { cx: x(latest.at), cy: y(latest.value), r: 2.5, class: `dot series-${i}` }));
    }
    item.dataset.latest = latest ? String(latest.value) : '';
    item.querySelector('.legend-value').textContent = latest ? format(latest.value) : '–';
  });
  if (!shown.some((p) => p.values)) {
    children.push(svg('text', { x: (LEFT + WIDTH) / 2, y: (HEIGHT - BOTTOM) / 2, class: 'axis', 'text-anchor': 'middle' },
      'waiting for samples'));
  }
  figure.dataset.points = String(shown.filter((p) => p.values).length);
  fill(figure.querySelector('svg'), children);
}

/** A horizontal line at `atY` with its value on the left. */
function gridLine(atY, label) {
  return svg('g', {},
    svg('line', { x1: LEFT, x2: WIDTH, y1: atY, y2: atY, class: 'grid' }),
    svg('text', { x: LEFT - 4, y: Math.max(8, Math.min(HEIGHT - BOTTOM, atY + 3)), class: 'axis', 'text-anchor': 'end' },
      label));
}

/** An SVG path through the series' values: a new segment ("M") after every gap. */
function pathOf(points, series, x, y) {
  let d = '';
  let drawing = false;
  for (const point of points) {
    const value = point.values ? point.values[series] : null;
    if (!Number.isFinite(value)) {
      drawing = false;
      continue;
    }
    d += `${drawing ? 'L' : 'M'}${x(point.at).toFixed(1)} ${y(value).toFixed(1)} `;
    drawing = true;
  }
  return d.trim();
}

function latestPoint(points, series) {
  for (let i = points.length - 1; i >= 0; i--) {
    const value = points[i].values ? points[i].values[series] : null;
    if (Number.isFinite(value)) {
      return { at: points[i].at, value };
    }
  }
  return null;
}

/**
 * The smallest of 1, 2 or 5 times a power of ten that is at least `value` (2 for nothing above one); with
 * `binary`, the same times the power of 1024 below it, so that 800 KiB/s gives a scale of 1000 KiB/s.
 */
export function niceCeiling(value, binary = false) {
  if (!(value > 1)) {
    return 2;
  }
  const unit = binary ? 1024 ** Math.floor(Math.log(value) / Math.log(1024)) : 1;
  return unit * decimalCeiling(value / unit);
}

function decimalCeiling(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) {
      return step * power;
    }
  }
  return 10 * power;
}

/** An SVG element: like `h`, in the SVG namespace, attributes set as attributes and text as text nodes. */
function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}
