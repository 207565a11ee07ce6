// The HTTP API client: every call the UI makes goes through here. The bearer token lives
// only in sessionStorage (gone when the tab closes) and in the Authorization header; it is
// never put in a URL, a log line or the page.

const TOKEN_KEY = 'eseal.token';

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
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
// Called when a request made with a token is answered 401 (the token was revoked).
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
// undefined. `expect`: 'json' (default), 'blob' or 'text'.
export async function request(method, path, { body, query, expect = 'json', auth = true, token } = {}) {
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const headers = { Accept: expect === 'json' ? 'application/json' : '*/*' };
  const t = token !== undefined ? token : auth ? getToken() : '';
  if (t) headers.Authorization = `Bearer ${t}`;
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(url, { method, headers, body: payload, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(`无法连接服务器 (cannot reach the server): ${e.message}`, 'network', 0);
  }
  if (!resp.ok) {
    const err = await errorFrom(resp);
    // A 401 with WWW-Authenticate means the token itself was refused (revoked, unknown);
    // other 401s (a wrong protection password) leave the session alone.
    if (resp.status === 401 && resp.headers.get('WWW-Authenticate') && t && token === undefined && onUnauthenticated) onUnauthenticated(err);
    throw err;
  }
  if (expect === 'blob') {
    return { blob: await resp.blob(), filename: filenameFrom(resp.headers.get('Content-Disposition')), headers: resp.headers };
  }
  if (expect === 'text') return resp.text();
  if (resp.status === 204) return null;
  const text = await resp.text();
  return text ? JSON.parse(text) : null;
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
