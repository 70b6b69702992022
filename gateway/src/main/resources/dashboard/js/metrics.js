// A reader of the Prometheus text format (0.0.4), as the gateway's GET /metrics writes it: one sample a
// line, `name{label="value",...} value [timestamp]`, with `#` lines for help and types. A line it cannot
// read is skipped rather than failing the whole scrape, so one odd series never blanks the charts.

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Every sample in `text` as `{name, labels, value}`; `labels` maps label names to their unescaped values. */
export function parseMetrics(text) {
  const samples = [];
  for (const raw of String(text).split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const sample = parseLine(line);
    if (sample) {
      samples.push(sample);
    }
  }
  return samples;
}

/** The sum of the samples named `name` whose labels pass `filter`; 0 when none does (a counter not yet used). */
export function total(samples, name, filter = () => true) {
  let sum = 0;
  for (const sample of samples) {
    if (sample.name === name && filter(sample.labels) && Number.isFinite(sample.value)) {
      sum += sample.value;
    }
  }
  return sum;
}

function parseLine(line) {
  const name = NAME.exec(line);
  if (!name) {
    return null;
  }
  let i = name[0].length;
  const labels = {};
  if (line[i] === '{') {
    i = parseLabels(line, i + 1, labels);
    if (i < 0) {
      return null;
    }
  }
  // whitespace, the value, and optionally a timestamp
  if (line[i] !== ' ' && line[i] !== '\t') {
    return null;
  }
  const fields = line.slice(i).trim().split(/\s+/);
  if (fields.length > 2) {
    return null;
  }
  const value = parseValue(fields[0]);
  return value === null ? null : { name: name[0], labels, value };
}

/** Reads `a="x",b="y"}` from `i` into `labels`; the index after the `}`, or -1 when malformed. */
function parseLabels(line, i, labels) {
  for (;;) {
    i = skipSpaces(line, i);
    if (line[i] === '}') {
      return i + 1;
    }
    const label = LABEL_NAME.exec(line.slice(i));
    if (!label) {
      return -1;
    }
    i = skipSpaces(line, i + label[0].length);
    if (line[i] !== '=') {
      return -1;
    }
    i = skipSpaces(line, i + 1);
    if (line[i] !== '"') {
      return -1;
    }
    i++;
    let value = '';
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\' && i + 1 < line.length) {
        value += line[i + 1] === 'n' ? '\n' : line[i + 1];
        i += 2;
      } else {
        value += line[i];
        i++;
      }
    }
    if (line[i] !== '"') {
      return -1;
    }
    labels[label[0]] = value;
    i = skipSpaces(line, i + 1);
    if (line[i] === ',') {
      i++;
    } else if (line[i] !== '}') {
      return -1;
    }
  }
}

function skipSpaces(line, i) {
  while (line[i] === ' ' || line[i] === '\t') {
    i++;
  }
  return i;
}

function parseValue(text) {
  if (text === 'NaN') {
    return NaN;
  }
  if (text === '+Inf' || text === 'Inf') {
    return Infinity;
  }
  if (text === '-Inf') {
    return -Infinity;
  }
  return NUMBER.test(text) ? Number(text) : null;
}
