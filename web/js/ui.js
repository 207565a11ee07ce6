// DOM helpers shared by every page. Text from the server is always inserted as text
// (textContent), never as HTML.

import { ApiError, request } from './api.js';

// h('div', {class: 'x', onclick: fn}, child, 'text', [children]) → Element.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A page heading: Chinese title with an English subtitle.
export function title(zh, en, lead) {
  return [h('h1', null, zh, en ? h('span', { class: 'en', lang: 'en' }, en) : null), lead ? h('p', { class: 'lead' }, lead) : null];
}

export function sectionTitle(zh, en, level = 'h2') {
  return h(level, null, zh, en ? h('span', { class: 'en', lang: 'en' }, en) : null);
}

// ---- standard terms for the API's enum values ----

const TERMS = {
  // seal kinds (sealimg names)
  'legal-name': '企业法定名称章',
  contract: '合同专用章',
  finance: '财务专用章',
  invoice: '发票专用章',
  business: '业务专用章',
  'legal-rep': '法定代表人章',
  'gov-service': '政务服务电子印章',
};
export const SEAL_KINDS = ['legal-name', 'contract', 'finance', 'invoice', 'business', 'legal-rep'];
export function kindName(k) {
  return TERMS[k] ? `${TERMS[k]}` : k || '';
}

const STATUS = {
  active: '有效',
  suspended: '已暂停',
  revoked: '已注销',
  superseded: '已替换',
  expired: '已过期',
  pending: '待审核',
  approved: '已批准',
  rejected: '已驳回',
  completed: '已完成',
  cancelled: '已取消',
  used: '已使用',
  abnormal: '经营异常',
  deregistered: '已注销登记',
  exported: '已导出',
  acknowledged: '已确认',
  made: '制章',
  resumed: '恢复',
  filed: '备案',
  changed: '变更',
  locked: '已锁定',
};
const HOLDER_STATUS = { active: '存续', abnormal: '经营异常', revoked: '吊销', deregistered: '注销' };
export function holderStatusBadge(s) {
  return statusBadge(s, HOLDER_STATUS[s] || s);
}
export function statusName(s) {
  return STATUS[s] || s || '';
}
// A coloured badge that also says its meaning in words (colour is never the only cue).
export function statusBadge(s, text) {
  return h('span', { class: `badge ${s}`, title: s }, text || statusName(s));
}

const APP_TYPES = { new_seal: '新申请', renew: '续期', change: '变更', revoke: '注销', password_change: '修改保护口令' };
export const appTypeName = (t) => APP_TYPES[t] || t || '';

const ROLES = { operator: '平台运营方', holder_admin: '单位管理员', holder_user: '单位用章人', reviewer: '审核员', client: '接入系统' };
export const roleName = (r) => ROLES[r] || r || '';

const CLIENT_TYPES = { agency: '政务机关', enterprise: '企业', vendor: '服务商', regulator_feed: '市场监管数据', security_feed: '公安印模数据' };
export const clientTypeName = (t) => CLIENT_TYPES[t] || t || '';

const RESULTS = { pass: '通过', fail: '失败', indeterminate: '无法确定', warning: '警告', info: '信息', skipped: '跳过' };
export function resultBadge(r) {
  return h('span', { class: `badge ${r}`, title: r }, `${RESULTS[r] || r} ${r}`);
}

const VERDICTS = { PASSED: '验证通过', FAILED: '验证失败', INDETERMINATE: '无法确定' };
export const verdictName = (v) => VERDICTS[v] || v;

// RFC 3339 → local "YYYY-MM-DD HH:MM:SS".
export function fmtTime(t) {
  if (!t) return '';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return t;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function shortId(id, n = 10) {
  if (!id) return '';
  return id.length > n + 2 ? `${id.slice(0, n)}…` : id;
}

// ---- messages ----

// An error box showing the server's own message (and its code).
export function errorBox(err) {
  const msg = err instanceof Error ? err.message : String(err);
  const code = err instanceof ApiError && err.code ? err.code : '';
  return h('div', { class: 'msg error', role: 'alert' }, h('strong', null, '错误 Error: '), msg, code ? h('span', { class: 'code' }, `(${code})`) : null);
}
export function okBox(...children) {
  return h('div', { class: 'msg ok', role: 'status' }, ...children);
}
export function infoBox(...children) {
  return h('div', { class: 'msg info' }, ...children);
}

// A place for a form's or a page's outcome messages.
export function messageArea() {
  const el = h('div', { class: 'messages', 'aria-live': 'polite' });
  el.show = (node) => {
    clear(el);
    if (node) el.appendChild(node);
  };
  el.error = (e) => el.show(errorBox(e));
  el.ok = (...c) => el.show(okBox(...c));
  el.clear = () => clear(el);
  return el;
}

// ---- tables ----

// columns: [{label, en, render(row) → node|string, class}]
export function table(columns, rows, { caption, rowClass, empty = '暂无记录 (none)', className } = {}) {
  if (!rows || rows.length === 0) return h('p', { class: 'empty' }, empty);
  const thead = h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c.label, c.en ? h('span', { class: 'en', lang: 'en' }, c.en) : null))));
  const tbody = h(
    'tbody',
    null,
    rows.map((r) =>
      h(
        'tr',
        { class: rowClass ? rowClass(r) : null },
        columns.map((c) => h('td', { class: c.class || null }, c.render ? c.render(r) : r[c.key] ?? '')),
      ),
    ),
  );
  return h('div', { class: 'table-wrap' }, h('table', { class: className || null }, caption ? h('caption', null, caption) : null, thead, tbody));
}

// ---- forms ----

let fieldSeq = 0;
// A labelled input. opts: {type, name, required, hint, options: [[value, text]], value,
// placeholder, attrs, en}.
export function field(labelZh, opts = {}) {
  const id = `f${++fieldSeq}`;
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  let input;
  const common = {
    id,
    name: opts.name,
    required: opts.required || null,
    'aria-describedby': [opts.hint ? hintId : null, errId].filter(Boolean).join(' '),
    ...(opts.attrs || {}),
  };
  if (opts.type === 'select') {
    input = h('select', common, (opts.options || []).map(([v, t]) => h('option', { value: v, selected: v === opts.value || null }, t)));
  } else if (opts.type === 'textarea') {
    input = h('textarea', { ...common, placeholder: opts.placeholder || null });
    if (opts.value) input.value = opts.value;
  } else {
    input = h('input', { ...common, type: opts.type || 'text', placeholder: opts.placeholder || null, value: opts.value ?? null, autocomplete: opts.autocomplete || (opts.type === 'password' ? 'off' : null) });
  }
  const err = h('div', { class: 'field-error', id: errId });
  const wrap = h(
    'div',
    { class: `field${opts.full ? ' full' : ''}` },
    h('label', { for: id }, labelZh, opts.required ? h('span', { 'aria-hidden': 'true', style: 'color:var(--fail)' }, ' *') : null, opts.en ? h('span', { class: 'en', lang: 'en' }, opts.en) : null),
    input,
    opts.hint ? h('div', { class: 'hint', id: hintId }, opts.hint) : null,
    err,
  );
  wrap.input = input;
  wrap.setError = (msg) => {
    err.textContent = msg || '';
    wrap.classList.toggle('invalid', !!msg);
    input.setAttribute('aria-invalid', msg ? 'true' : 'false');
  };
  return wrap;
}

// Runs validators [{field, check(value) → message|''}]; shows the messages beside the
// fields, focuses the first bad one, returns true when all pass.
export function validate(checks) {
  let first = null;
  for (const { field: f, check } of checks) {
    const v = f.input.type === 'file' ? f.input.files : f.input.value;
    const msg = check(v) || '';
    f.setError(msg);
    if (msg && !first) first = f;
  }
  if (first) first.input.focus();
  return !first;
}

export const required = (what) => (v) => (v && (typeof v === 'string' ? v.trim() : v.length) ? '' : `请填写${what} (required)`);
export const requiredFile = (what) => (files) => (files && files.length ? '' : `请选择${what} (choose a file)`);

// Disables a form's buttons while `fn` runs.
export async function busy(form, fn) {
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((b) => (b.disabled = true));
  form.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    buttons.forEach((b) => (b.disabled = false));
    form.removeAttribute('aria-busy');
  }
}

// ---- dialogs ----

// Asks for a reason (or a confirmation) in a modal dialog; resolves to the text, or null.
// With label null there is no reason field (a plain confirmation, or only `extra`).
export function askReason({ titleZh, en, label = '原因 Reason', requiredReason = true, confirmText = '确定', danger = false, extra }) {
  return new Promise((resolve) => {
    const prev = document.activeElement;
    const reason = label === null ? null : field(label, { type: 'textarea', name: 'reason', required: requiredReason });
    const form = h('form', { class: 'stack', novalidate: true });
    const done = (v) => {
      backdrop.remove();
      document.removeEventListener('keydown', onKey, true);
      if (prev && prev.focus) prev.focus();
      resolve(v);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        done(null);
      } else if (e.key === 'Tab') {
        // Keep keyboard focus inside the dialog while it is open.
        const items = [...dialog.querySelectorAll('input, select, textarea, button')].filter((x) => !x.disabled);
        if (!items.length) return;
        const first = items[0];
        const last = items[items.length - 1];
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    form.append(
      ...(extra ? [extra] : []),
      ...(reason ? [reason] : []),
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => done(null) }, '取消 Cancel'), h('button', { type: 'submit', class: danger ? 'primary danger-confirm' : 'primary' }, confirmText)),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (reason && requiredReason && !validate([{ field: reason, check: required('原因') }])) return;
      done(reason ? reason.input.value.trim() : '');
    });
    const dlgTitle = `dlg${++fieldSeq}`;
    const dialog = h('div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': dlgTitle }, h('h2', { id: dlgTitle }, titleZh, en ? h('span', { class: 'en', lang: 'en' }, en) : null), form);
    const backdrop = h('div', { class: 'dialog-backdrop' }, dialog);
    document.body.appendChild(backdrop);
    document.addEventListener('keydown', onKey, true);
    const firstInput = dialog.querySelector('input, select, textarea, button');
    if (firstInput) firstInput.focus();
  });
}

// ---- files ----

// Offers bytes as a download (the browser's save dialog or downloads folder).
export function downloadBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, style: 'display:none' });
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 60000);
}

// An <img> whose bytes need the bearer token (seal images): fetched, then shown from a blob URL.
export function authImage(path, alt, attrs = {}) {
  const img = h('img', { alt, ...attrs });
  request('GET', path, { expect: 'blob' })
    .then(({ blob }) => {
      img.src = URL.createObjectURL(blob);
    })
    .catch((e) => {
      img.replaceWith(h('span', { class: 'field-error' }, `图像不可用 (image unavailable): ${e.message}`));
    });
  return img;
}

// Loads data and renders it into `target`, showing the server's message on failure.
export async function load(target, fn) {
  clear(target).appendChild(h('p', { class: 'empty busy' }, '加载中 Loading'));
  try {
    const node = await fn();
    clear(target);
    if (node) append(target, [node]);
  } catch (e) {
    clear(target).appendChild(errorBox(e));
  }
}

export function kv(pairs) {
  return h('dl', { class: 'kv' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v ?? '')]));
}

// ---- paged lists ----

// A list that pages through a route: `fetchPage(start, limit)` answers the route's page
// ({items, total, has_more, next_offset} or, for the audit log, next_after_seq) and
// `render(items, page)` draws it. Shows "第 x–y 条，共 N 条" with 上一页/下一页.
// `start` is the offset (or after_seq) of the page; earlier pages are remembered for 上一页.
// The element's reload({ first }) draws the current page again, or the first one.
export function pagedList({ fetchPage, render, limit = 20, label = '列表', first = 0 }) {
  const body = h('div');
  const info = h('span', { class: 'page-info', 'data-testid': 'page-info', 'aria-live': 'polite' });
  const prevBtn = h('button', { type: 'button', class: 'small', 'data-testid': 'page-prev' }, '上一页 Previous');
  const nextBtn = h('button', { type: 'button', class: 'small', 'data-testid': 'page-next' }, '下一页 Next');
  const nav = h('div', { class: 'pager row', role: 'navigation', 'aria-label': `${label}：分页 (pages)` }, prevBtn, info, nextBtn);
  const el = h('div', { class: 'paged' }, body, nav);
  // The pages before this one: [{start, index}] (index: the first row's number, from 0).
  let history = [];
  let cur = { start: first, index: 0 };
  let next = null;
  el.current = [];
  async function show() {
    prevBtn.disabled = true;
    nextBtn.disabled = true;
    await load(body, async () => {
      const p = (await fetchPage(cur.start, limit)) || { items: [] };
      const items = p.items || [];
      el.current = items;
      el.page = p;
      next = p.next_offset ?? p.next_after_seq ?? null;
      if (next === null && p.has_more && items.length) next = cur.start + items.length;
      const total = typeof p.total === 'number' ? p.total : null;
      if (!items.length) info.textContent = total !== null ? `共 ${total} 条 (${total} in all)` : '';
      else {
        const x = cur.index + 1;
        const y = cur.index + items.length;
        info.textContent = total !== null ? `第 ${x}–${y} 条，共 ${total} 条 (${x}–${y} of ${total})` : `第 ${x}–${y} 条 (${x}–${y})`;
      }
      prevBtn.disabled = history.length === 0;
      nextBtn.disabled = next === null;
      nav.hidden = history.length === 0 && next === null && items.length === 0;
      return render(items, p);
    });
  }
  prevBtn.addEventListener('click', async () => {
    if (!history.length) return;
    cur = history.pop();
    await show();
  });
  nextBtn.addEventListener('click', async () => {
    if (next === null) return;
    history.push(cur);
    cur = { start: next, index: cur.index + el.current.length };
    await show();
  });
  // Opens the page that starts at `start` (its first row numbered index + 1).
  el.goto = async (start, index = 0) => {
    history = start > first ? [{ start: first, index: 0 }] : [];
    cur = { start, index };
    await show();
  };
  el.reload = async ({ first: toFirst = false } = {}) => {
    if (toFirst) {
      history = [];
      cur = { start: first, index: 0 };
    }
    await show();
  };
  return el;
}

// A search form above a list: its fields are read by the list's fetchPage; submitting
// (or changing a select) goes back to the first page.
export function searchForm(label, fields, onSearch) {
  const form = h('form', { class: 'search row', role: 'search', novalidate: true, 'aria-label': label }, fields, h('div', { class: 'field' }, h('button', { type: 'submit' }, '查询 Search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onSearch();
  });
  for (const f of fields) if (f.input && f.input.tagName === 'SELECT') f.input.addEventListener('change', () => onSearch());
  return form;
}
