// The HTTP API client: every call the UI makes goes through here.
//
// People sign in with a session (POST /api/v1/session): the server sets an HttpOnly cookie
// the page never sees, and answers a CSRF token that this module keeps in sessionStorage
// (gone when the tab closes) and sends as X-CSRF-Token on every state-changing request.
// Integrators may instead paste a bearer token ("integrator" sign-in): it also lives only in
// sessionStorage and in the Authorization header, never in a URL, a log line or the page.

const TOKEN_KEY = 'eseal.token';
const CSRF_KEY = 'eseal.csrf';

function readStore(key) {
  try {
    return sessionStorage.getItem(key) || '';
  } catch {
    return '';
  }
}

export function getToken() {
  return readStore(TOKEN_KEY);
}

export function setToken(token) {
  sessionStorage.removeItem(CSRF_KEY);
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export function getCsrf() {
  return readStore(CSRF_KEY);
}

export function setCsrf(csrf) {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.setItem(CSRF_KEY, csrf);
}

// Forgets every credential this tab holds (the cookie is cleared by POST /session/end).
export function clearCredentials() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(CSRF_KEY);
}

// An API error with the server's message ({"error": {"code", "message"}}).
export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.name = 'ApiError';
    this.code = code || '';
    this.status = status || 0;
  }
}

let onUnauthenticated = null;
// Called when a request made with a token or in a session is answered 401 because the
// credential itself was refused (revoked token, ended or expired session).
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

async function errorFrom(resp) {
  let code = '';
  let message = '';
  const text = await resp.text().catch(() => '');
  try {
    const j = JSON.parse(text);
    if (j && j.error) {
      code = j.error.code || '';
      message = j.error.message || '';
    }
  } catch {
    // not JSON: fall through
  }
  if (!message) message = `HTTP ${resp.status} ${resp.statusText || ''}`.trim();
  return new ApiError(message, code, resp.status);
}

// Low-level request. `body` may be a FormData (multipart), a plain object (JSON) or
// undefined. `expect`: 'json' (default), 'blob', 'text' or 'ndjson' (a streamed answer of
// one JSON value a line, e.g. a batch's results: `onLine` gets each as it arrives).
export async function request(method, path, { body, query, expect = 'json', auth = true, token, headers: extraHeaders, onLine } = {}) {
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const headers = { Accept: expect === 'json' ? 'application/json' : '*/*', ...(extraHeaders || {}) };
  const t = token !== undefined ? token : auth ? getToken() : '';
  if (t) headers.Authorization = `Bearer ${t}`;
  // In a session the cookie goes by itself (same origin); a change also needs the CSRF token.
  const csrf = !t && auth ? getCsrf() : '';
  if (csrf && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let resp;
  try {
    // A bearer token replaces the session; without one the session cookie is sent.
    resp = await fetch(url, { method, headers, body: payload, credentials: auth && !t ? 'same-origin' : 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(`无法连接服务器 (cannot reach the server): ${e.message}`, 'network', 0);
  }
  if (!resp.ok) {
    const err = await errorFrom(resp);
    // A 401 with WWW-Authenticate means the token itself was refused (revoked, unknown).
    // In a session, a 401 may be the session's end or a wrong protection password: ask
    // GET /me, which answers 401 only when the session is gone.
    if (resp.status === 401 && token === undefined && onUnauthenticated) {
      if (t && resp.headers.get('WWW-Authenticate')) onUnauthenticated(err);
      else if (csrf && path !== '/api/v1/me' && !(await sessionAlive())) onUnauthenticated(err);
      else if (csrf && path === '/api/v1/me') onUnauthenticated(err);
    }
    throw err;
  }
  if (expect === 'blob') {
    return { blob: await resp.blob(), filename: filenameFrom(resp.headers.get('Content-Disposition')), headers: resp.headers };
  }
  if (expect === 'text') return resp.text();
  if (expect === 'ndjson') return readLines(resp, onLine);
  if (resp.status === 204) return null;
  const text = await resp.text();
  return text ? JSON.parse(text) : null;
}

// Reads a streamed NDJSON body, calling onLine with each value as soon as its line is
// complete. Resolves with the number of lines read; rejects if the stream breaks.
async function readLines(resp, onLine) {
  const reader = resp.body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let n = 0;
  const emit = (line) => {
    if (!line.trim()) return;
    n += 1;
    if (onLine) onLine(JSON.parse(line));
  };
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (e) {
      throw new ApiError(`连接中断 (the connection broke): ${e.message}`, 'network', 0);
    }
    if (chunk.done) break;
    pending += decoder.decode(chunk.value, { stream: true });
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      emit(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  }
  emit(pending + decoder.decode());
  return n;
}

async function sessionAlive() {
  try {
    const r = await fetch('/api/v1/me', { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
    return r.status !== 401;
  } catch {
    return true;
  }
}

function filenameFrom(disposition) {
  if (!disposition) return '';
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : '';
}

export const get = (path, opts) => request('GET', path, opts);
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body });
export const put = (path, body, opts = {}) => request('PUT', path, { ...opts, body });

// Path segment encoding for ids in URLs.
export const seg = (s) => encodeURIComponent(String(s));
