// Sign-in with a bearer token. The token is checked with GET /api/v1/me and then kept in
// sessionStorage for this tab only; it never appears in a URL.

import { get, setToken } from '../api.js';
import { busy, field, h, messageArea, roleName, title, validate } from '../ui.js';

export function page(main, ctx) {
  const token = field('访问令牌', {
    type: 'password',
    name: 'token',
    required: true,
    en: 'Bearer token',
    hint: '平台运营方首次启动时写入数据目录的 operator.token，或运营方/单位管理员为您创建账户时发放的令牌。',
    autocomplete: 'off',
    attrs: { spellcheck: 'false' },
  });
  const msgs = messageArea();
  const form = h('form', { class: 'stack', novalidate: true, 'aria-label': '登录' }, token, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, '登录 Sign in')));
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
        await ctx.refreshSession();
        const after = sessionStorage.getItem('eseal.after-login');
        sessionStorage.removeItem('eseal.after-login');
        msgs.ok(`欢迎，${me.name}（${roleName(me.role)}）`);
        ctx.navigate(after && after !== '/login' ? after : ctx.homeFor(me), { replace: true });
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  main.append(...title('登录', 'Sign in', '使用访问令牌登录。令牌只保存在本浏览器标签页中，关闭标签页即失效。'), h('div', { class: 'card' }, form, msgs));
  token.input.focus();
}
