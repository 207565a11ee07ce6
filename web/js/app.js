// The single-page shell: session (who is signed in), navigation per role, and a small
// path router. The server answers every extension-less path with index.html, so pages
// have real URLs (/verify, /op/seals, ...) that survive a reload.

import { clearCredentials, get, getCsrf, getToken, post, setUnauthenticatedHandler } from './api.js';
import { clear, errorBox, h, roleName } from './ui.js';
import * as pub from './pages/public.js';
import * as op from './pages/operator.js';
import * as holder from './pages/holder.js';
import * as reviewer from './pages/reviewer.js';
import * as login from './pages/login.js';

// path → page. roles: who sees it in the navigation and may open it (none: everyone).
const ROUTES = [
  { path: '/', zh: '首页', en: 'Home', render: pub.home, hidden: true },
  { path: '/verify', zh: '验章', en: 'Verify', render: pub.verify, group: 'public' },
  { path: '/seal-status', zh: '印章状态查询', en: 'Seal status', render: pub.sealStatus, group: 'public' },
  { path: '/public-notices', zh: '公示', en: 'Notices', render: pub.notices, group: 'public' },
  { path: '/client-apply', zh: '接入申请', en: 'Apply for access', render: pub.clientApply, group: 'public', anonymousOnly: true },
  { path: '/login', zh: '登录', en: 'Sign in', render: login.page, hidden: true },
  { path: '/enrol', zh: '首次登记', en: 'Enrol', render: login.enrol, hidden: true },

  { path: '/op/holders', zh: '登记', en: 'Registry', render: op.holders, roles: ['operator'] },
  { path: '/op/applications', zh: '审核', en: 'Applications', render: op.applications, roles: ['operator'] },
  { path: '/op/seals', zh: '印章管理', en: 'Seals', render: op.seals, roles: ['operator'] },
  { path: '/op/clients', zh: '接入管理', en: 'Clients', render: op.clients, roles: ['operator'] },
  { path: '/op/anchors', zh: '信任锚', en: 'Trust anchors', render: op.anchors, roles: ['operator'] },
  { path: '/op/filings', zh: '备案', en: 'Filings', render: op.filings, roles: ['operator'] },
  { path: '/op/audit', zh: '审计', en: 'Audit', render: op.audit, roles: ['operator'] },

  { path: '/my/seals', zh: '我的印章', en: 'My seals', render: holder.seals, roles: ['holder_admin', 'holder_user'] },
  { path: '/my/apply', zh: '申请印章', en: 'Apply', render: holder.apply, roles: ['holder_admin'] },
  { path: '/my/applications', zh: '申请记录', en: 'Applications', render: holder.applications, roles: ['holder_admin'] },
  { path: '/my/sign', zh: '签章', en: 'Sign', render: holder.sign, roles: ['holder_admin', 'holder_user'] },
  { path: '/my/usage-requests', zh: '用章审批', en: 'Use approval', render: holder.usageRequests, roles: ['holder_admin', 'holder_user'] },
  { path: '/my/signatures', zh: '用章登记', en: 'Usage register', render: holder.signatures, roles: ['holder_admin', 'holder_user'] },
  { path: '/my/users', zh: '用章人', en: 'Users', render: holder.users, roles: ['holder_admin'] },

  { path: '/review', zh: '审核队列', en: 'Review queue', render: reviewer.queue, roles: ['reviewer'] },
];

const HOME_BY_ROLE = { operator: '/op/applications', holder_admin: '/my/seals', holder_user: '/my/seals', reviewer: '/review' };

// The signed-in caller (GET /api/v1/me), or null.
export const session = { me: null };

function routeFor(path) {
  return ROUTES.find((r) => r.path === path) || null;
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

export function homeFor(me) {
  return (me && HOME_BY_ROLE[me.role]) || '/verify';
}

function renderNav(current) {
  const nav = clear(document.getElementById('nav'));
  const role = session.me ? session.me.role : null;
  const link = (r) =>
    h('li', null, h('a', { href: r.path, 'data-nav': '', 'aria-current': r.path === current ? 'page' : null }, r.zh, h('span', { class: 'visually-hidden', lang: 'en' }, ` (${r.en})`)));
  const publicRoutes = ROUTES.filter((r) => r.group === 'public' && !(r.anonymousOnly && role));
  const mine = role ? ROUTES.filter((r) => r.roles && r.roles.includes(role)) : [];
  if (mine.length) {
    nav.append(h('li', { class: 'group', 'aria-hidden': 'true' }, roleName(role)));
    mine.forEach((r) => nav.append(link(r)));
    nav.append(h('li', { class: 'group', 'aria-hidden': 'true' }, '公共服务'));
  }
  publicRoutes.forEach((r) => nav.append(link(r)));
}

function renderSession() {
  const el = clear(document.getElementById('session'));
  if (session.me) {
    el.append(
      h('span', { class: 'who', 'data-testid': 'who' }, `${session.me.name || session.me.id} · ${roleName(session.me.role)}`),
      h('button', { type: 'button', class: 'small', onclick: logout }, '退出 Sign out'),
    );
  } else {
    el.append(h('a', { class: 'btn small', href: '/login', 'data-nav': '' }, '登录 Sign in'));
  }
}

// Signs out: ends the server's session (which clears the cookie) and forgets the CSRF
// token or the pasted bearer token.
export async function logout() {
  if (getCsrf()) await post('/api/v1/session/end', {}).catch(() => {});
  clearCredentials();
  session.me = null;
  navigate('/login');
}

// Re-reads who is signed in: the session (cookie and the CSRF token this tab keeps) or
// the bearer token an integrator pasted.
export async function refreshSession() {
  if (!getToken() && !getCsrf()) {
    session.me = null;
    return;
  }
  try {
    session.me = await get('/api/v1/me');
  } catch {
    clearCredentials();
    session.me = null;
  }
}

let renderSeq = 0;
export async function render() {
  const seq = ++renderSeq;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  let route = routeFor(path);
  const main = document.getElementById('main');
  if (route && route.roles && (!session.me || !route.roles.includes(session.me.role))) {
    if (!session.me) {
      history.replaceState(null, '', `/login`);
      sessionStorage.setItem('eseal.after-login', path);
      route = routeFor('/login');
    } else {
      route = null;
    }
  }
  renderNav(route ? route.path : path);
  renderSession();
  clear(main);
  if (!route) {
    main.append(h('h1', null, '页面不存在', h('span', { class: 'en' }, 'Not found')), h('p', null, h('a', { href: homeFor(session.me), 'data-nav': '' }, '返回首页 (home)')));
    document.title = '页面不存在 · 电子印章平台';
    return;
  }
  document.title = `${route.zh} · 电子印章平台`;
  const ctx = { me: session.me, navigate, refreshSession, homeFor, isCurrent: () => seq === renderSeq };
  try {
    await route.render(main, ctx);
  } catch (e) {
    if (seq === renderSeq) main.append(errorBox(e));
  }
}

// Same-origin links marked data-nav are handled here, without a page load.
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-nav]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  navigate(url.pathname);
  document.getElementById('main').focus();
});

window.addEventListener('popstate', () => render());

// The session ended (idle or absolute timeout, signed out elsewhere, account disabled) or
// the token was revoked: forget it and show the sign-in form, coming back here afterwards.
setUnauthenticatedHandler(() => {
  clearCredentials();
  session.me = null;
  const path = location.pathname;
  if (path !== '/login') {
    sessionStorage.setItem('eseal.after-login', path);
    sessionStorage.setItem('eseal.expired', '1');
    navigate('/login', { replace: true });
  } else {
    renderSession();
  }
});

await refreshSession();
await render();
