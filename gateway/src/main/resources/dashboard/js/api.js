// The one place that talks to the gateway's JSON API and turns its answers into messages for people.
// It works with and without access control: with a token every call carries it as a Bearer token;
// a 401/403 says which role the action needs; a route this gateway lacks (404 "no such endpoint",
// 405) says the feature is not available here instead of failing obscurely.

const TOKEN_KEY = 'granary.token';
const API = 'api/v1';

// The token lives in this tab's session storage: it ends with the tab, and is never written where
// every later page of the origin would find it. Local storage is only cleared of a token a previous
// dashboard kept there.
localStorage.removeItem(TOKEN_KEY);

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

export function authHeaders() {
  const value = token();
  return value ? { Authorization: `Bearer ${value}` } : {};
}

/** "a/b c" → "a/b%20c": a Granary path for a URL, each segment percent-encoded. */
export function encodePath(path) {
  return path.split('/').filter(Boolean).map(encodeURIComponent).join('/');
}

/** The URL of a route (e.g. "files") for a Granary path, relative to the page. */
export function url(route, path = '') {
  const encoded = encodePath(path);
  return encoded ? `${API}/${route}/${encoded}` : `${API}/${route}`;
}

/**
 * How long the page waits for an API answer: longer than the gateway's own deadlines for the master,
 * so a slow answer still arrives, but never forever (a refresh waiting on a lost answer would skip
 * every refresh after it).
 */
export const ANSWER_DEADLINE_MS = 60_000;

/** The signal that ends a fetch that has not been answered within ANSWER_DEADLINE_MS. */
export function deadline() {
  return AbortSignal.timeout(ANSWER_DEADLINE_MS);
}

/** The ApiError for a fetch that failed without an answer: the network, or the deadline. */
export function unreachable(error) {
  return new ApiError(0, error && error.name === 'TimeoutError'
    ? `The gateway did not answer within ${ANSWER_DEADLINE_MS / 1000} seconds.` : 'The gateway cannot be reached.');
}

/** A failed call, with `message` written for the person at the screen. */
export class ApiError extends Error {
  constructor(status, message, { unavailable = false } = {}) {
    super(message);
    this.status = status;
    this.unavailable = unavailable;
  }
}

/**
 * Calls the API with an optional JSON body; resolves to `{data, response}` (`data` null for an
 * empty answer) or rejects with an ApiError.
 *
 * @param options.role the role the action needs, named in the 401/403 message
 * @param options.feature a name for a route that a gateway may not have yet ("Presigned links")
 * @param options.query query parameters
 */
export async function request(method, target, { body, role = 'reader', feature, query } = {}) {
  const headers = { Accept: 'application/json', ...authHeaders() };
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const address = query ? `${target}?${new URLSearchParams(query)}` : target;
  let response;
  try {
    response = await fetch(address, { method, headers, body: payload, cache: 'no-store', signal: deadline() });
  } catch (e) {
    throw unreachable(e);
  }
  if (!response.ok) {
    throw await failure(response, { role, feature });
  }
  const text = await response.text();
  return { data: text ? JSON.parse(text) : null, response };
}

/** `request` resolving to the JSON answer alone. */
export async function call(method, target, options) {
  return (await request(method, target, options)).data;
}

/** The problem+json body of a failed answer, or an empty object. */
export async function problemOf(response) {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : {};
  } catch (e) {
    return {};
  }
}

/** The ApiError for a failed answer of the gateway. */
export async function failure(response, { role = 'reader', feature } = {}) {
  const problem = await problemOf(response);
  return failureFor(response.status, problem, { role, feature }, response.statusText);
}

/** The same from a status and a parsed problem (XMLHttpRequest uploads have no Response). */
export function failureFor(status, problem, { role = 'reader', feature } = {}, statusText = '') {
  const detail = problem && typeof problem.detail === 'string' ? problem.detail : '';
  if (status === 401) {
    return new ApiError(status, token()
      ? `This gateway did not accept your token (unknown, expired or revoked). This needs a token with role ${role}.`
      : `This needs a token with role ${role}: sign in with one.`);
  }
  if (status === 403) {
    // only the admin routes have no exception for a thing's owner
    return new ApiError(status, `Refused (403): this needs a token with role ${role}`
      + (role === 'admin' ? '' : ' (or being the owner)') + (detail ? `: ${detail}` : '.'));
  }
  if (feature && missingRoute(status, detail)) {
    return new ApiError(status, `${feature}: not available on this gateway.`, { unavailable: true });
  }
  return new ApiError(status, detail || `The gateway answered ${status} ${statusText}`.trim());
}

/**
 * Whether an answer means the route itself does not exist here: an unknown endpoint, a method the
 * route lacks, or (for PATCH /stat on a gateway without visibility) a body field it does not know.
 */
function missingRoute(status, detail) {
  return status === 405
    || (status === 404 && detail.startsWith('no such endpoint'))
    || (status === 400 && detail.includes('Unrecognized field'));
}
