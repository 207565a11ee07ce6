// Sign-in (登录) and enrolment (首次登记).
//
// People sign in with their login name, password and — for operators, reviewers and holder
// administrators — a six-digit code from their authenticator app (动态口令, RFC 6238). The
// server answers with an HttpOnly session cookie the page never sees and a CSRF token kept in
// sessionStorage for this tab only (api.js). A new account first enrols: its one-time
// enrolment code (登记码) sets the password and, where needed, yields the authenticator
// secret, shown once.
//
// Integrators may still paste a bearer token (接入系统令牌) under "其他方式"; it is checked
// with GET /api/v1/me and kept in sessionStorage; it never appears in a URL.

import { get, post, setCsrf, setToken } from '../api.js';
import { busy, field, h, infoBox, kv, messageArea, okBox, roleName, sectionTitle, title, validate } from '../ui.js';

const LOGIN_NAME_KEY = 'eseal.login-name';

async function afterSignIn(ctx, me, msgs) {
  await ctx.refreshSession();
  const after = sessionStorage.getItem('eseal.after-login');
  sessionStorage.removeItem('eseal.after-login');
  msgs.ok(`欢迎，${me.name}（${roleName(me.role)}）`);
  ctx.navigate(after && after !== '/login' && after !== '/enrol' ? after : ctx.homeFor(me), { replace: true });
}

function signInForm(ctx) {
  const login = field('登录名', { name: 'login', required: true, en: 'Login', autocomplete: 'username', attrs: { spellcheck: 'false', autocapitalize: 'off' }, value: sessionStorage.getItem(LOGIN_NAME_KEY) || '' });
  const password = field('口令', { type: 'password', name: 'password', required: true, en: 'Password', autocomplete: 'current-password' });
  const totp = field('动态口令', {
    name: 'totp',
    en: 'Authenticator code',
    hint: '平台运营方、审核员和单位管理员须填写身份验证器中的 6 位动态口令 (operators, reviewers and holder administrators: the 6-digit code from the authenticator app)',
    autocomplete: 'one-time-code',
    attrs: { inputmode: 'numeric', maxlength: '8', spellcheck: 'false' },
  });
  const msgs = messageArea();
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': '登录' }, login, password, totp, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, '登录 Sign in')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([
      { field: login, check: (v) => (v.trim() ? '' : '请填写登录名 (required)') },
      { field: password, check: (v) => (v ? '' : '请填写口令 (required)') },
      { field: totp, check: (v) => (!v.trim() || /^[0-9]{6,8}$/.test(v.trim()) ? '' : '动态口令为 6 位数字 (six digits)') },
    ])) return;
    const body = { login: login.input.value.trim(), password: password.input.value };
    if (totp.input.value.trim()) body.totp = totp.input.value.trim();
    await busy(form, async () => {
      try {
        // token '' : no bearer token; the answer's Set-Cookie is kept (same origin).
        const r = await post('/api/v1/session', body, { token: '' });
        password.input.value = '';
        totp.input.value = '';
        setCsrf(r.csrf_token);
        sessionStorage.removeItem(LOGIN_NAME_KEY);
        sessionStorage.removeItem('eseal.expired');
        await afterSignIn(ctx, r.account, msgs);
      } catch (err) {
        password.input.value = '';
        totp.input.value = '';
        msgs.error(err);
      }
    });
  });
  form.focusFirst = () => (login.input.value ? password.input : login.input).focus();
  return { form, msgs };
}

function tokenForm(ctx) {
  const token = field('访问令牌', {
    type: 'password',
    name: 'token',
    required: true,
    en: 'Bearer token',
    hint: '供系统集成与自动化使用：平台首次启动时写入数据目录的 operator.token，或为账户签发的 API 令牌。令牌只保存在本标签页中。',
    autocomplete: 'off',
    attrs: { spellcheck: 'false' },
  });
  const msgs = messageArea();
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': '使用访问令牌登录' }, token, h('div', { class: 'row' }, h('button', { type: 'submit' }, '使用令牌登录 Sign in with token')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([{ field: token, check: (v) => (v.trim() ? '' : '请填写访问令牌 (required)') }])) return;
    const t = token.input.value.trim();
    await busy(form, async () => {
      try {
        const me = await get('/api/v1/me', { token: t });
        if (me.kind === 'client') {
          msgs.error(new Error('接入系统令牌不能用于登录浏览器界面 (client tokens are for system integration, not for the UI)'));
          return;
        }
        setToken(t);
        token.input.value = '';
        await afterSignIn(ctx, me, msgs);
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  return { form, msgs };
}

export function page(main, ctx) {
  const signIn = signInForm(ctx);
  const tok = tokenForm(ctx);
  const expired = sessionStorage.getItem('eseal.expired');
  sessionStorage.removeItem('eseal.expired');
  main.append(
    ...title('登录', 'Sign in', '使用登录名、口令和动态口令登录。会话在一段时间无操作后自动结束。'),
    ...(expired ? [infoBox('会话已结束，请重新登录。 Your session has ended; please sign in again.')] : []),
    h('div', { class: 'card' }, signIn.form, signIn.msgs),
    h(
      'div',
      { class: 'card' },
      h('p', null, '首次使用？请用平台运营方或单位管理员交付的登记码设置口令。 ', h('a', { href: '/enrol', 'data-nav': '' }, '首次登记 (Enrol with a code)')),
      h('details', null, h('summary', null, '其他方式：接入系统令牌 ', h('span', { class: 'en', lang: 'en' }, 'Integrators: bearer token')), tok.form, tok.msgs),
    ),
  );
  signIn.form.focusFirst();
}

// 首次登记: login name + one-time enrolment code → set a password; operators, reviewers and
// holder administrators then add the shown secret to an authenticator app.
export function enrol(main, ctx) {
  const login = field('登录名', { name: 'login', required: true, en: 'Login', autocomplete: 'username', attrs: { spellcheck: 'false', autocapitalize: 'off' } });
  const code = field('登记码', { name: 'enrolment_code', required: true, en: 'Enrolment code', hint: '创建账户时交付给您的一次性登记码 (the one-time code you were given)', autocomplete: 'off', attrs: { spellcheck: 'false' } });
  const pw = field('设置口令', { type: 'password', name: 'new_password', required: true, en: 'New password', hint: '至少 10 位 (at least 10 characters)', autocomplete: 'new-password' });
  const pw2 = field('再次输入口令', { type: 'password', name: 'new_password2', required: true, en: 'Repeat password', autocomplete: 'new-password' });
  const msgs = messageArea();
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': '首次登记' }, login, code, pw, pw2, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, '登记 Enrol')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([
      { field: login, check: (v) => (v.trim() ? '' : '请填写登录名 (required)') },
      { field: code, check: (v) => (v.trim() ? '' : '请填写登记码 (required)') },
      { field: pw, check: (v) => (!v ? '请设置口令 (required)' : v.length < 10 ? '口令至少 10 位 (at least 10 characters)' : '') },
      { field: pw2, check: (v) => (v === pw.input.value ? '' : '两次输入的口令不一致 (the passwords differ)') },
    ])) return;
    const name = login.input.value.trim();
    await busy(form, async () => {
      try {
        const r = await post('/api/v1/enrol', { login: name, enrolment_code: code.input.value.trim(), password: pw.input.value }, { auth: false });
        form.reset();
        form.hidden = true;
        sessionStorage.setItem(LOGIN_NAME_KEY, name);
        result.append(
          okBox(h('strong', null, '口令已设置。 '), 'Password set.'),
          r.totp_required
            ? h(
                'div',
                { class: 'card', 'data-testid': 'totp-setup' },
                sectionTitle('添加到身份验证器', 'Add to your authenticator app', 'h3'),
                h('p', null, '请在手机的身份验证器（TOTP）中添加下面的密钥，此后登录时填写它显示的 6 位动态口令。密钥仅显示一次。'),
                kv([
                  ['密钥 Secret', h('code', { class: 'secret', 'data-testid': 'totp-secret' }, r.totp_secret)],
                  ['otpauth 地址 URI', h('code', { class: 'secret', 'data-testid': 'otpauth-uri' }, r.otpauth_uri)],
                ]),
              )
            : infoBox('您的账户无需动态口令。 No authenticator code is needed for this account.'),
          h('p', null, h('a', { class: 'btn primary', href: '/login', 'data-nav': '' }, '去登录 Sign in')),
        );
      } catch (err) {
        pw.input.value = '';
        pw2.input.value = '';
        msgs.error(err);
      }
    });
  });
  main.append(...title('首次登记', 'Enrol', '用登记码设置您的登录口令。'), h('div', { class: 'card' }, form, msgs, result));
  login.input.focus();
}
