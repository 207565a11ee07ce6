// The holder's pages (单位管理员 and 用章人): my seals with their images, applying for a
// seal (申请), signing an OFD (签章), use approval (用章审批), the usage register (用章登记)
// and the holder's own users.

import { accountBox } from './operator.js';
import { get, post, put, request, seg } from '../api.js';
import {
  appTypeName, askReason, authImage, busy, clear, downloadBlob, field, fmtTime, h, infoBox, kindName, kv, load,
  messageArea, okBox, required, requiredFile, SEAL_KINDS, sectionTitle, shortId, statusBadge, table, title, validate, pagedList, searchForm } from '../ui.js';
import { passwordProblem } from '../validate.js';
import { sm3Hex } from '../sm3.js';
import { signBatch } from './batch.js';

async function mySeals(status) {
  const r = await get('/api/v1/seals', { query: { status, limit: 1000 } });
  return r.items || [];
}

function sealLabel(s) {
  return `${s.name} · ${kindName(s.kind)}${s.copy_no > 1 ? ` (${s.copy_no})` : ''} · ${s.esid}`;
}

function secretBox(label, secret) {
  return okBox(h('div', null, h('strong', null, label), ' — 仅显示一次，请立即交付 (shown once).'), h('code', { class: 'secret', 'data-testid': 'new-token' }, secret));
}

// ---- 我的印章 ----

export async function seals(main, ctx) {
  const admin = ctx.me.role === 'holder_admin';
  const msgs = messageArea();
  const grid = h('div');
  main.append(
    ...title('我的印章', 'My seals', admin ? '本单位的电子印章。签章需要保护口令；印章失控请立即暂停并申请注销。' : '已授权您使用的本单位电子印章。'),
    msgs,
    grid,
  );
  async function reload() {
    await load(grid, async () => {
      const items = await mySeals();
      if (!items.length) {
        return infoBox('暂无印章。', admin ? [' ', h('a', { href: '/my/apply', 'data-nav': '' }, '申请电子印章 (apply for a seal)')] : ' (no seals)');
      }
      return h(
        'div',
        { class: 'seal-grid' },
        items.map((s) =>
          h(
            'article',
            { class: 'seal-card', 'data-testid': 'seal-card', 'aria-label': s.name },
            h('div', { class: 'img' }, authImage(`/api/v1/seals/${seg(s.id)}/image.png`, `${s.name}（${kindName(s.kind)}）印章图像`, { 'data-testid': 'seal-image' })),
            h('h3', { style: 'margin:0' }, s.name, ' ', statusBadge(s.status), s.locked ? [' ', statusBadge('locked')] : null),
            kv([
              ['类型 Kind', kindName(s.kind)],
              ['印章编码 esID', h('code', null, s.esid)],
              ['有效期 Validity', `${fmtTime(s.valid_from).slice(0, 10)} — ${fmtTime(s.valid_to).slice(0, 10)}`],
              ['证书序列号 Cert', h('code', null, shortId(s.cert_serial, 16))],
              ['用章审批 Approval', s.requires_approval ? '需要审批 required' : '不需要 not required'],
            ]),
            h(
              'div',
              { class: 'row' },
              s.status === 'active' ? h('a', { class: 'btn small primary', href: `/my/sign?seal=${encodeURIComponent(s.id)}`, 'data-nav': '' }, '签章 Sign') : null,
              h('button', {
                type: 'button',
                class: 'small',
                onclick: async () => {
                  try {
                    const r = await request('GET', `/api/v1/seals/${seg(s.id)}/seal.esl`, { expect: 'blob' });
                    downloadBlob(r.blob, r.filename || `${s.esid}.esl`);
                  } catch (e) {
                    msgs.error(e);
                  }
                },
              }, '下载印章数据 .esl'),
              admin && s.status === 'active'
                ? h('button', {
                    type: 'button',
                    class: 'small',
                    onclick: async () => {
                      try {
                        await put(`/api/v1/seals/${seg(s.id)}/approval-required`, { required: !s.requires_approval });
                        msgs.ok(s.requires_approval ? '已取消用章审批要求' : '此后使用该印章须先经用章审批');
                        await reload();
                      } catch (e) {
                        msgs.error(e);
                      }
                    },
                  }, s.requires_approval ? '取消用章审批' : '启用用章审批')
                : null,
              admin && s.status === 'active'
                ? h('button', {
                    type: 'button',
                    class: 'small danger',
                    onclick: async () => {
                      const reason = await askReason({ titleZh: `暂停印章“${s.name}”`, en: 'Suspend (e.g. loss of control)', confirmText: '暂停 Suspend', danger: true });
                      if (reason === null) return;
                      try {
                        await post(`/api/v1/seals/${seg(s.id)}/suspend`, { reason });
                        msgs.ok('印章已暂停；如需注销请提交注销申请。');
                        await reload();
                      } catch (e) {
                        msgs.error(e);
                      }
                    },
                  }, '暂停 Suspend')
                : null,
            ),
          ),
        ),
      );
    });
  }
  await reload();
}

// ---- 申请 ----

export async function apply(main, ctx) {
  const msgs = messageArea();
  const type = field('申请事项', {
    type: 'select',
    name: 'type',
    en: 'Application',
    options: [['new_seal', '新申请电子印章 new seal'], ['renew', '续期 renew'], ['change', '变更 change'], ['revoke', '注销 revoke'], ['password_change', '修改保护口令 password change']],
  });
  // Departments apply for government-service seals (政务服务电子印章, reviewed level by
  // level); enterprises for the enterprise kinds.
  const self = ctx.me.holder_id ? await get(`/api/v1/holders/${seg(ctx.me.holder_id)}`).catch(() => null) : null;
  const kinds = self && self.kind === 'department' ? ['gov-service'] : SEAL_KINDS;
  const kind = field('印章类型', { type: 'select', name: 'seal_kind', required: true, en: 'Seal kind', options: kinds.map((k) => [k, `${kindName(k)} (${k})`]), value: kinds.includes('contract') ? 'contract' : kinds[0] });
  const sealName = field('印章文字', { name: 'seal_name', en: 'Seal text (optional)', hint: '留空则使用单位法定名称 (default: the legal name)' });
  const seal = field('印章', { type: 'select', name: 'seal_id', required: true, en: 'Seal', options: [] });
  const pw = field('保护口令', { type: 'password', name: 'password', required: true, en: 'Protection password', hint: '至少 8 位。签章时必须输入；平台不保存口令本身，请牢记。', autocomplete: 'new-password' });
  const pw2 = field('确认保护口令', { type: 'password', name: 'password2', required: true, en: 'Confirm', autocomplete: 'new-password' });
  const reason = field('申请说明', { type: 'textarea', name: 'reason', en: 'Reason', full: true });
  const form = h('form', { class: 'grid', novalidate: true, 'aria-label': '申请电子印章' }, type, kind, sealName, seal, pw, pw2, reason, h('div', { class: 'full' }, h('button', { type: 'submit', class: 'primary' }, '提交申请 Submit')));
  const sealsList = await mySeals().catch(() => []);
  const seals = sealsList.filter((s) => s.status === 'active' || s.status === 'suspended');
  seal.input.append(...seals.map((s) => h('option', { value: s.id }, sealLabel(s))));
  const sync = () => {
    const t = type.input.value;
    const isNew = t === 'new_seal';
    kind.hidden = !isNew;
    sealName.hidden = !(isNew || t === 'change');
    pw.hidden = !isNew;
    pw2.hidden = !isNew;
    seal.hidden = isNew;
    reason.input.required = t === 'revoke' || t === 'change';
  };
  type.input.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    const t = type.input.value;
    const checks = [];
    if (t === 'new_seal') {
      checks.push({ field: pw, check: passwordProblem }, { field: pw2, check: (v) => (v === pw.input.value ? '' : '两次输入的口令不一致 (passwords differ)') });
    } else {
      checks.push({ field: seal, check: (v) => (v ? '' : '请选择印章 (choose a seal)') });
      if (t === 'revoke' || t === 'change') checks.push({ field: reason, check: required('申请说明') });
    }
    if (!validate(checks)) return;
    const body = { type: t };
    if (t === 'new_seal') {
      body.seal_kind = kind.input.value;
      body.password = pw.input.value;
    } else {
      body.seal_id = seal.input.value;
    }
    if ((t === 'new_seal' || t === 'change') && sealName.input.value.trim()) body.seal_name = sealName.input.value.trim();
    if (reason.input.value.trim()) body.reason = reason.input.value.trim();
    await busy(form, async () => {
      try {
        const a = await post('/api/v1/applications', body);
        pw.input.value = '';
        pw2.input.value = '';
        form.reset();
        sync();
        msgs.ok(
          `申请已提交（${appTypeName(a.type)}${a.seal_kind ? ` · ${kindName(a.seal_kind)}` : ''}），状态：`,
          statusBadge(a.status),
          a.status === 'pending' ? ' 等待审核。' : '',
          ' ',
          h('a', { href: '/my/applications', 'data-nav': '' }, '查看申请记录 (applications)'),
        );
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  main.append(
    ...title('申请印章', 'Apply', '申请新的电子印章，或为已有印章申请续期、变更、注销、修改保护口令。申请经平台审核通过后制章。'),
    h('div', { class: 'card' }, form, msgs),
  );
}

// ---- 申请记录 ----

export async function applications(main) {
  const msgs = messageArea();
  const status = field('状态', { type: 'select', name: 'status', en: 'Status', options: [['', '全部 all'], ['pending', '待审核 pending'], ['approved', '已批准 approved'], ['completed', '已完成 completed'], ['rejected', '已驳回 rejected'], ['cancelled', '已取消 cancelled']] });
  const search = searchForm('查询申请 Search applications', [status], () => list.reload({ first: true }));
  async function changePassword(a) {
    const oldPw = field('原保护口令', { type: 'password', name: 'old_password', required: true, en: 'Current password' });
    const newPw = field('新保护口令', { type: 'password', name: 'new_password', required: true, en: 'New password', hint: '至少 8 位' });
    const ok = await askReason({ titleZh: '修改保护口令', en: 'Change the protection password', label: null, confirmText: '修改 Change', extra: h('div', { class: 'stack' }, oldPw, newPw) });
    if (ok === null) return;
    const problem = passwordProblem(newPw.input.value);
    if (problem || !oldPw.input.value) {
      msgs.error(new Error(problem || '请填写原保护口令 (current password required)'));
      return;
    }
    try {
      await post(`/api/v1/seals/${seg(a.seal_id)}/password`, { application_id: a.id, old_password: oldPw.input.value, new_password: newPw.input.value });
      msgs.ok('保护口令已修改 (password changed)');
      await reload();
    } catch (e) {
      msgs.error(e);
    }
  }
  const reload = () => list.reload();
  const list = pagedList({
    label: '申请记录',
    fetchPage: (offset, limit) => get('/api/v1/applications', { query: { status: status.input.value, limit, offset } }),
    render: (items) =>
      table(
        [
          { label: '提交时间', en: 'Submitted', class: 'nowrap', render: (a) => fmtTime(a.created_at) },
          { label: '事项', en: 'Type', render: (a) => appTypeName(a.type) },
          { label: '印章', en: 'Seal', render: (a) => [a.seal_kind ? kindName(a.seal_kind) : '', a.seal_name ? h('div', { class: 'hint' }, a.seal_name) : null] },
          { label: '状态', en: 'Status', render: (a) => statusBadge(a.status) },
          { label: '审核意见', en: 'Review', render: (a) => (a.reviews || []).map((r) => h('div', null, `${r.approved ? '批准' : '驳回'} ${fmtTime(r.decided_at)} ${r.reason || ''}`)) },
          {
            label: '操作',
            en: 'Actions',
            class: 'actions',
            render: (a) => (a.type === 'password_change' && a.status === 'approved' ? h('button', { type: 'button', class: 'small', onclick: () => changePassword(a) }, '修改口令 Change password') : ''),
          },
        ],
        items,
        { empty: '暂无申请 (no applications)' },
      ),
  });
  main.append(...title('申请记录', 'My applications', '本单位提交的申请及审核结果。保护口令修改申请获批后，在此修改口令。'), msgs, h('div', { class: 'card' }, search, list));
  await list.reload();
}

// ---- 签章 ----

export async function sign(main) {
  const msgs = messageArea();
  const result = h('section', { 'aria-live': 'polite' });
  const seals = await mySeals('active');
  if (!seals.length) {
    main.append(...title('签章', 'Sign a document'), infoBox('没有可用的有效印章 (no active seal available).'));
    return;
  }
  const want = new URLSearchParams(location.search).get('seal');
  const seal = field('印章', { type: 'select', name: 'seal', required: true, en: 'Seal', options: seals.map((s) => [s.id, sealLabel(s)]), value: want || seals[0].id, full: true });
  const doc = field('文档（OFD 或 PDF，可多选批量签章）', { type: 'file', name: 'document', required: true, en: 'Documents (OFD or PDF; several sign as a batch)', attrs: { accept: '.ofd,.pdf,application/ofd,application/pdf', multiple: true }, hint: '选择多份文件时一次输入口令、逐份签章并逐份显示结果', full: true });

  const modeName = `placement-${Math.random().toString(36).slice(2)}`;
  const radio = (value, text, checked) => h('label', null, h('input', { type: 'radio', name: modeName, value, checked: checked || null }), text);
  const placement = h('fieldset', { class: 'full' }, h('legend', null, '盖章位置 Placement'), h('div', { class: 'radios' }, radio('xy', '指定页面坐标 page & x/y (mm)', true), radio('keyword', '关键字 keyword'), radio('riding', '骑缝章 riding seal')));
  const page = field('页码', { type: 'number', name: 'page', en: 'Page', value: '1', attrs: { min: '1', step: '1' } });
  const x = field('X（毫米）', { type: 'number', name: 'x', en: 'x mm from left', value: '100', attrs: { min: '0', step: '0.1' } });
  const y = field('Y（毫米）', { type: 'number', name: 'y', en: 'y mm from top', value: '150', attrs: { min: '0', step: '0.1' } });
  const keyword = field('关键字', { name: 'keyword', en: 'Keyword', hint: '印章以关键字为中心' });
  const occurrence = field('第几处', { type: 'number', name: 'occurrence', en: 'Occurrence', value: '0', hint: '0 表示每一处', attrs: { min: '0', step: '1' } });
  const edge = field('骑缝边', { type: 'select', name: 'riding', en: 'Edge', options: [['right', '右 right'], ['left', '左 left'], ['top', '上 top'], ['bottom', '下 bottom']] });
  const pages = field('页码范围', { name: 'pages', en: 'Pages', hint: '如 3、2-5、2-（至末页）；留空为全部', placeholder: '全部 all' });
  const xyBox = h('div', { style: 'display:contents' }, page, x, y);
  const kwBox = h('div', { style: 'display:contents' }, keyword, occurrence);
  const ridingBox = h('div', { style: 'display:contents' }, edge);
  const pagesBox = h('div', { style: 'display:contents' }, pages);
  placement.append(h('div', { class: 'grid', style: 'display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:0.8rem;margin-top:0.6rem' }, xyBox, kwBox, ridingBox, pagesBox));
  const currentMode = () => placement.querySelector(`input[name="${modeName}"]:checked`).value;
  const syncMode = () => {
    const m = currentMode();
    const show = (el, on) => {
      el.style.display = on ? 'contents' : 'none';
      el.querySelectorAll('input, select').forEach((i) => (i.disabled = !on));
    };
    show(xyBox, m === 'xy');
    show(kwBox, m === 'keyword');
    show(ridingBox, m === 'riding');
    show(pagesBox, m !== 'xy');
  };
  placement.addEventListener('change', syncMode);

  const protect = field('签章后文档', { type: 'select', name: 'mode', en: 'Protection', options: [['continue', '允许继续签章 continue'], ['whole', '锁定文档，不再允许签章 whole']] });
  const requestId = field('用章审批单号', { name: 'usage_request_id', required: true, en: 'Use request id', hint: '该印章须经用章审批：填写已批准的审批单号' });
  const sealById = new Map(seals.map((s) => [s.id, s]));
  const needsApproval = () => !!(sealById.get(seal.input.value) || {}).requires_approval;
  const syncSeal = () => {
    requestId.hidden = !needsApproval();
  };
  seal.input.addEventListener('change', syncSeal);
  const pw = field('保护口令', { type: 'password', name: 'password', required: true, en: 'Protection password', autocomplete: 'off' });
  const form = h('form', { class: 'grid', novalidate: true, 'aria-label': '签章' }, seal, doc, placement, protect, requestId, pw, h('div', { class: 'full' }, h('button', { type: 'submit', class: 'primary' }, '签章 Sign')));
  syncMode();
  syncSeal();

  const num = (f, what, { min = 0, integer = false } = {}) => (v) => {
    if (v === '' || v === null) return `请填写${what} (required)`;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) return `${what}须为${integer ? '整数' : '数字'}且不小于 ${min} (number ≥ ${min})`;
    return '';
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    const m = currentMode();
    const checks = [{ field: doc, check: requiredFile('文档') }];
    if (m === 'xy') checks.push({ field: page, check: num(page, '页码', { min: 1, integer: true }) }, { field: x, check: num(x, 'X') }, { field: y, check: num(y, 'Y') });
    if (m === 'keyword') checks.push({ field: keyword, check: required('关键字') }, { field: occurrence, check: num(occurrence, '第几处', { integer: true }) });
    if (m !== 'xy') checks.push({ field: pages, check: (v) => (!v.trim() || /^\d+(-\d*)?$/.test(v.trim()) ? '' : '页码范围格式如 3、2-5、2- (a page or a range)') });
    if (needsApproval()) checks.push({ field: requestId, check: (v) => (v.trim() ? '' : '该印章须经用章审批，请填写已批准的审批单号 (an approved use request is required)') });
    checks.push({ field: pw, check: (v) => (v ? '' : '请填写保护口令 (required)') });
    if (!validate(checks)) return;
    const files = Array.from(doc.input.files);
    const batch = files.length > 1;
    const f = files[0];
    const fd = new FormData();
    if (!batch) {
      fd.append('document', f, f.name);
      fd.append('document_name', f.name);
    }
    fd.append('password', pw.input.value);
    if (m === 'xy') {
      fd.append('page', page.input.value);
      fd.append('x', x.input.value);
      fd.append('y', y.input.value);
    } else if (m === 'keyword') {
      fd.append('keyword', keyword.input.value.trim());
      if (occurrence.input.value !== '0') fd.append('occurrence', occurrence.input.value);
    } else {
      fd.append('riding', edge.input.value);
    }
    if (m !== 'xy' && pages.input.value.trim()) fd.append('pages', pages.input.value.trim());
    fd.append('mode', protect.input.value);
    if (needsApproval() && requestId.input.value.trim()) fd.append('usage_request_id', requestId.input.value.trim());
    if (batch && needsApproval()) {
      msgs.error(new Error('需要用章审批的印章须逐份签章 (a seal that requires approval signs one document at a time)'));
      return;
    }
    clear(result);
    await busy(form, async () => {
      if (batch) {
        try {
          await signBatch(seal.input.value, files, fd, result);
        } catch (err) {
          msgs.error(err);
        } finally {
          pw.input.value = '';
        }
        return;
      }
      try {
        const r = await request('POST', `/api/v1/seals/${seg(seal.input.value)}/sign`, { body: fd, expect: 'blob' });
        pw.input.value = '';
        const ext = /\.pdf$/i.test(f.name) ? '.pdf' : '.ofd';
        const name = r.filename || f.name.replace(/\.(ofd|pdf)$/i, '') + '-signed' + ext;
        const url = URL.createObjectURL(r.blob);
        clear(result).append(
          h(
            'div',
            { class: 'card', 'data-testid': 'sign-result' },
            h('h2', null, '签章完成', h('span', { class: 'en' }, 'Signed')),
            kv([
              ['文件 File', name],
              ['大小 Size', `${r.blob.size} bytes`],
              ['签章记录 Record', h('code', null, r.headers.get('X-Eseal-Signature-Id') || '')],
              ['原文 SM3 Document hash', h('code', null, r.headers.get('X-Eseal-Document-Hash') || '')],
            ]),
            h('div', { class: 'row', style: 'margin-top:0.8rem' }, h('a', { class: 'btn primary', href: url, download: name, 'data-testid': 'download-signed' }, '下载已签章文件 Download'), h('a', { class: 'btn', href: '/verify', 'data-nav': '' }, '去验章 Verify')),
          ),
        );
      } catch (err) {
        pw.input.value = '';
        msgs.error(err);
      }
    });
  });
  main.append(
    ...title('签章', 'Sign a document', '选择印章，上传 OFD 文档，指定盖章位置并输入保护口令。连续 5 次口令错误将锁定印章。平台不保存文档，只登记其摘要。'),
    h('div', { class: 'card' }, form, msgs),
    result,
  );
}

// ---- 用章审批 ----

export async function usageRequests(main, ctx) {
  const msgs = messageArea();
  const listMsgs = messageArea();
  const seals = await mySeals('active').catch(() => []);
  const sealMap = new Map(seals.map((s) => [s.id, s]));
  const qSeal = field('印章', { type: 'select', name: 'q_seal_id', en: 'Seal', options: [['', '全部 all'], ...seals.map((s) => [s.id, sealLabel(s)])] });
  const search = searchForm('查询用章申请 Search requests', [qSeal], () => list.reload({ first: true }));
  const seal = field('印章', { type: 'select', name: 'seal_id', required: true, en: 'Seal', options: seals.map((s) => [s.id, sealLabel(s)]) });
  const doc = field('待签文档', { type: 'file', name: 'document', required: true, en: 'Document to sign', attrs: { accept: '.ofd,.pdf,application/ofd,application/pdf' }, hint: '平台只接收文档的 SM3 摘要，不接收文档本身' });
  const purpose = field('用途', { type: 'textarea', name: 'purpose', required: true, en: 'Purpose', full: true });
  const form = h('form', { class: 'grid', novalidate: true, 'aria-label': '提交用章申请' }, seal, doc, purpose, h('div', { class: 'full' }, h('button', { type: 'submit', class: 'primary' }, '提交用章申请 Request')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([
      { field: seal, check: (v) => (v ? '' : '请选择印章') },
      { field: doc, check: requiredFile('待签文档') },
      { field: purpose, check: required('用途') },
    ])) return;
    await busy(form, async () => {
      try {
        const bytes = new Uint8Array(await doc.input.files[0].arrayBuffer());
        const r = await post('/api/v1/usage-requests', { seal_id: seal.input.value, document_hash: sm3Hex(bytes), purpose: purpose.input.value.trim() });
        form.reset();
        msgs.ok('用章申请已提交，审批单号 ', h('code', null, r.id), '；获批后签章时填写此单号。');
        await reload();
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  const reload = () => list.reload();
  const list = pagedList({
    label: '用章申请',
    fetchPage: (offset, limit) => get('/api/v1/usage-requests', { query: { seal_id: qSeal.input.value, limit, offset } }),
    render: (items) =>
      table(
        [
          { label: '申请时间', en: 'Requested', class: 'nowrap', render: (u) => fmtTime(u.created_at) },
          { label: '印章', en: 'Seal', render: (u) => (sealMap.get(u.seal_id) ? sealMap.get(u.seal_id).name : h('code', null, shortId(u.seal_id, 14))) },
          { label: '申请人', en: 'Requester', render: (u) => (u.requester_id === ctx.me.id ? '本人 (me)' : h('code', { title: u.requester_id }, shortId(u.requester_id, 14))) },
          { label: '用途', en: 'Purpose', render: (u) => u.purpose },
          { label: '文档摘要', en: 'SM3', render: (u) => h('code', { title: u.document_hash }, shortId(u.document_hash, 16)) },
          { label: '审批单号', en: 'Id', render: (u) => h('code', null, u.id) },
          { label: '状态', en: 'Status', render: (u) => [statusBadge(u.status), u.decision_reason ? h('div', { class: 'hint' }, u.decision_reason) : null, u.status === 'approved' && u.window_end ? h('div', { class: 'hint' }, `有效至 ${fmtTime(u.window_end)}`) : null] },
          {
            label: '操作',
            en: 'Actions',
            class: 'actions',
            render: (u) =>
              u.status === 'pending' && u.requester_id === ctx.me.id
                ? h('span', { class: 'hint' }, '等待他人审批 (awaiting another approver)')
                : u.status === 'pending'
                ? h(
                    'div',
                    { class: 'row' },
                    h('button', {
                      type: 'button',
                      class: 'small',
                      onclick: async () => {
                        const until = field('有效期至', { type: 'datetime-local', name: 'window_end', en: 'Valid until (optional)', hint: '留空使用平台默认时限' });
                        const reason = await askReason({ titleZh: '批准用章', en: 'Approve use', label: '审批意见 Comment', requiredReason: false, confirmText: '批准 Approve', extra: until });
                        if (reason === null) return;
                        const body = {};
                        if (reason) body.reason = reason;
                        if (until.input.value) body.window_end = new Date(until.input.value).toISOString().replace(/\.\d{3}Z$/, 'Z');
                        try {
                          await post(`/api/v1/usage-requests/${seg(u.id)}/approve`, body);
                          listMsgs.ok('已批准 (approved)');
                          await reload();
                        } catch (err) {
                          listMsgs.error(err);
                        }
                      },
                    }, '批准 Approve'),
                    h('button', {
                      type: 'button',
                      class: 'small danger',
                      onclick: async () => {
                        const reason = await askReason({ titleZh: '驳回用章申请', en: 'Reject', confirmText: '驳回 Reject', danger: true });
                        if (reason === null) return;
                        try {
                          await post(`/api/v1/usage-requests/${seg(u.id)}/reject`, { reason });
                          listMsgs.ok('已驳回 (rejected)');
                          await reload();
                        } catch (err) {
                          listMsgs.error(err);
                        }
                      },
                    }, '驳回 Reject'),
                  )
                : '',
          },
        ],
        items,
        { empty: '暂无用章申请 (no requests)' },
      ),
  });
  main.append(
    ...title('用章审批', 'Use approval', '需要审批的印章，签章前须提交用章申请并经审批人批准；每份获批申请只能在有效期内对该文档签章一次。'),
    h('div', { class: 'card' }, sectionTitle('提交用章申请', 'Request use'), seals.length ? form : infoBox('没有有效印章 (no active seal).'), msgs),
    h('div', { class: 'card' }, sectionTitle('用章申请', 'Requests'), search, listMsgs, list),
  );
  await list.reload();
}

// ---- 用章登记 ----

export async function signatures(main) {
  const seals = await mySeals().catch(() => []);
  const sealMap = new Map(seals.map((s) => [s.id, s]));
  const qSeal = field('印章', { type: 'select', name: 'q_seal_id', en: 'Seal', options: [['', '全部 all'], ...seals.map((s) => [s.id, sealLabel(s)])] });
  const search = searchForm('查询用章登记 Search the register', [qSeal], () => list.reload({ first: true }));
  const list = pagedList({
    label: '用章登记',
    fetchPage: (offset, limit) => get('/api/v1/signatures', { query: { seal_id: qSeal.input.value, limit, offset } }),
    render: (items) =>
      table(
        [
          { label: '签章时间', en: 'Signed at', class: 'nowrap', render: (x) => fmtTime(x.signed_at) },
          { label: '印章', en: 'Seal', render: (x) => (sealMap.get(x.seal_id) ? [sealMap.get(x.seal_id).name, h('div', { class: 'hint' }, sealMap.get(x.seal_id).esid)] : h('code', null, shortId(x.seal_id, 14))) },
          { label: '文档', en: 'Document', render: (x) => [x.document_name, h('div', { class: 'hint' }, (x.format || '').toUpperCase())] },
          { label: '签章人', en: 'Signer', render: (x) => h('code', { title: x.actor_id || x.client_id }, shortId(x.actor_id || x.client_id, 14)) },
          { label: '原文摘要 SM3', en: 'Document hash', render: (x) => h('code', { title: x.document_hash }, shortId(x.document_hash, 16)) },
          { label: '审批单', en: 'Request', render: (x) => (x.usage_request_id ? h('code', null, shortId(x.usage_request_id, 14)) : '') },
        ],
        items,
        { empty: '暂无用章记录 (no signatures yet)' },
      ),
  });
  main.append(...title('用章登记', 'Usage register', '每一次签章的登记：谁、何时、用哪枚印章、对哪份文档（SM3 摘要）签章。'), h('div', { class: 'card' }, search, list));
  await list.reload();
}

// ---- 用章人 (the holder's users and their grants) ----

export async function users(main, ctx) {
  const msgs = messageArea();
  const name = field('姓名', { name: 'user_name', required: true, en: 'Name' });
  const login = field('登录名', { name: 'user_login', en: 'Login (optional)', hint: '留空则使用账户编号 (empty: the account id)', attrs: { spellcheck: 'false', autocapitalize: 'off' } });
  const createForm = h('form', { class: 'grid', novalidate: true, 'aria-label': '创建用章人' }, name, login, h('div', null, h('button', { type: 'submit', class: 'primary' }, '创建用章人账户 Create user')));
  createForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([{ field: name, check: required('姓名') }])) return;
    await busy(createForm, async () => {
      try {
        const body = { name: name.input.value.trim(), role: 'holder_user', holder_id: ctx.me.holder_id };
        if (login.input.value.trim()) body.login = login.input.value.trim();
        const r = await post('/api/v1/accounts', body);
        createForm.reset();
        msgs.show(accountBox(`用章人“${r.account.name}”`, r));
        account.input.value = r.account.id;
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  const seals = await mySeals('active').catch(() => []);
  const account = field('账户编号', { name: 'account_id', required: true, en: 'Account id' });
  const seal = field('印章', { type: 'select', name: 'grant_seal', required: true, en: 'Seal', options: seals.map((s) => [s.id, sealLabel(s)]) });
  const canUse = h('input', { type: 'checkbox', id: 'grant-use', checked: true });
  const canApprove = h('input', { type: 'checkbox', id: 'grant-approve' });
  const grantForm = h(
    'form',
    { class: 'grid', novalidate: true, 'aria-label': '授权用章' },
    account,
    seal,
    h('fieldset', null, h('legend', null, '权限 Rights'), h('div', { class: 'radios' }, h('label', { for: 'grant-use' }, canUse, '可使用 use'), h('label', { for: 'grant-approve' }, canApprove, '可审批 approve'))),
    h('div', { class: 'full' }, h('button', { type: 'submit', class: 'primary' }, '授权 Grant')),
  );
  grantForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([
      { field: account, check: required('账户编号') },
      { field: seal, check: (v) => (v ? '' : '请选择印章') },
    ])) return;
    await busy(grantForm, async () => {
      try {
        await post(`/api/v1/seals/${seg(seal.input.value)}/grants`, { account_id: account.input.value.trim(), can_use: canUse.checked, can_approve: canApprove.checked });
        msgs.ok('授权已保存 (grant saved)');
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  main.append(
    ...title('用章人', 'Users and grants', '为本单位员工创建用章人账户，并按印章授权其使用或审批用章。'),
    msgs,
    h('div', { class: 'card' }, sectionTitle('创建用章人', 'Create a user'), createForm),
    h('div', { class: 'card' }, sectionTitle('授权用章', 'Grant a seal'), seals.length ? grantForm : infoBox('没有有效印章 (no active seal).')),
  );
}
