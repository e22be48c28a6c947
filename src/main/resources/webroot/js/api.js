// The console's one door to the HTTP API: same-origin fetch with the session cookie, the CSRF
// header on every state-changing request, JSON in and out, and problem+json refusals as ApiError.

/** A refusal or failure of the API, as the server said it (problem+json). */
export class ApiError extends Error {
  constructor(status, title, detail, problem) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    /** HTTP status; 0 when the server could not be reached. */
    this.status = status;
    this.title = title || `HTTP ${status}`;
    this.detail = detail || '';
    /** The whole problem document (with `errors` per field when the API named them), or null. */
    this.problem = problem || null;
  }

  /** "Title: detail", the way pages show a refusal. */
  describe() {
    return this.detail ? `${this.title}: ${this.detail}` : this.title;
  }
}

const CSRF_HEADER = 'X-CSRF-Token';
let csrfToken = null;
const unauthorizedListeners = new Set();

/** Sets the session's CSRF token (from POST /api/login or GET /api/session); null forgets it. */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/**
 * Calls fn(error) whenever a request other than the login is answered 401 (session expired,
 * logged out elsewhere, user disabled); returns the function that stops it.
 */
export function onUnauthorized(fn) {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      const p = await response.json();
      return new ApiError(response.status, p.title, p.detail, p);
    } catch (e) {
      // fall through: a body that is not the JSON it says
    }
  }
  return new ApiError(response.status, response.statusText || `HTTP ${response.status}`, '');
}

/**
 * One request. Resolves to the parsed JSON body (null for 204 or an empty body; text for a
 * non-JSON body); rejects with ApiError for any answer >= 400 or a network failure (status 0).
 */
export async function request(method, path, body, { signal, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers[CSRF_HEADER] = csrfToken;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Server unreachable', `${method} ${path}: ${e.message}`);
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401 && path !== '/api/login') {
      unauthorizedListeners.forEach((fn) => fn(error));
    }
    throw error;
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const text = await response.text();
  if (!text) return null;
  return type.includes('json') ? JSON.parse(text) : text;
}

/**
 * The API as pages use it (ctx.api). Paths are absolute ("/api/reactors").
 * get/post/put/del resolve to parsed JSON and reject with ApiError.
 */
export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  post: (path, body, opts) => request('POST', path, body === undefined ? {} : body, opts),
  put: (path, body, opts) => request('PUT', path, body === undefined ? {} : body, opts),
  del: (path, opts) => request('DELETE', path, undefined, opts),
  /** GET that resolves to `fallback` instead of rejecting on 404 (an API not in this build). */
  async getOr404(path, fallback = null, opts) {
    try {
      return await request('GET', path, undefined, opts);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return fallback;
      throw e;
    }
  },
  /** GET of a text resource (CSV, Markdown). */
  text: (path, accept = 'text/plain, text/csv, text/markdown, */*') =>
    request('GET', path, undefined, { accept }),
  /** Logs in: the session (user, role, csrfToken, expiresAt, mustChangePassword). */
  async login(user, password) {
    const s = await request('POST', '/api/login', { user, password });
    setCsrfToken(s.csrfToken);
    return s;
  },
  /** Who is logged in (and the CSRF token); rejects with 401 when nobody is. */
  async session() {
    const s = await request('GET', '/api/session');
    setCsrfToken(s.csrfToken);
    return s;
  },
  async logout() {
    try {
      await request('POST', '/api/logout', {});
    } finally {
      setCsrfToken(null);
    }
  },
  changePassword: (currentPassword, newPassword) =>
    request('POST', '/api/password', { currentPassword, newPassword }),
  ApiError,
};

/** Encodes one path segment (reactor ids, user names, run ids). */
export function seg(text) {
  return encodeURIComponent(String(text));
}
