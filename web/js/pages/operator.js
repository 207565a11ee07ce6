// The platform operator's pages (平台运营方): registry (登记), applications (审核), seals
// (印章管理), clients (接入管理), trust anchors (信任锚), filings (备案) and the audit log (审计).

import { get, post, put, request, seg } from '../api.js';
import {
  appTypeName, askReason, authImage, holderStatusBadge, busy, clear, clientTypeName, downloadBlob, errorBox, field, fmtTime, h,
  infoBox, kindName, kv, load, messageArea, okBox, pagedList, required, requiredFile, roleName, searchForm, sectionTitle, shortId,
  statusBadge, table, title, validate,
} from '../ui.js';
import { areaCodeProblem, usccProblem } from '../validate.js';

// id → holder, for showing names instead of ids: only the holders a page shows, each read
// once (GET /api/v1/holders/{id}) and remembered while the UI is open.
const holderCache = new Map();
export async function holderMap(ids) {
  const want = [...new Set((ids || []).filter(Boolean))].filter((id) => !holderCache.has(id));
  await Promise.all(want.map((id) => get(`/api/v1/holders/${seg(id)}`).then((x) => holderCache.set(id, x)).catch(() => {})));
  return holderCache;
}

// The holder with this USCC (exact), or null.
export async function holderByUscc(uscc) {
  const r = await get('/api/v1/holders', { query: { uscc, limit: 1 } });
  return (r.items || [])[0] || null;
}

// A USCC search field resolved to a holder id for the list routes that filter by holder_id.
// Answers {holder_id} (or {} when empty); throws when no holder has that code.
async function holderFilter(f) {
  const v = f.input.value.trim().toUpperCase();
  if (!v) return {};
  const x = await holderByUscc(v);
  if (!x) throw new Error(`没有统一社会信用代码为 ${v} 的单位 (no holder with this USCC)`);
  return { holder_id: x.id };
}

function holderName(map, id) {
  const x = map.get(id);
  return x ? x.name : id ? shortId(id) : '';
}

// A one-time secret (a new token) with a note that it is shown only once.
function secretBox(label, secret) {
  return okBox(
    h('div', null, h('strong', null, label), ' — 仅显示一次，请立即妥善交付 (shown once; hand it over now).'),
    h('code', { class: 'secret', 'data-testid': 'new-token' }, secret),
  );
}

// A new account's credentials, shown once: the login name and one-time enrolment code the
// person uses to set a password (首次登记), and the API token for automation.
export function accountBox(label, r) {
  return okBox(
    h('div', null, h('strong', null, label), ' — 仅显示一次，请立即妥善交付 (shown once; hand it over now).'),
    kv([
      ['登录名 Login', h('code', { 'data-testid': 'new-login' }, r.login || r.account.id)],
      ['登记码 Enrolment code', h('code', { class: 'secret', 'data-testid': 'enrolment-code' }, r.enrolment_code || '')],
      ['账户编号 Account id', h('code', { 'data-testid': 'new-account-id' }, r.account.id)],
    ]),
    h('p', { class: 'hint' }, '本人在“首次登记”页面用登录名和登记码设置口令后即可登录。 The person enrols at /enrol with the login and code, then signs in.'),
    r.token ? h('details', null, h('summary', null, 'API 令牌（供系统集成）', h('span', { class: 'en', lang: 'en' }, 'API token for automation')), h('code', { class: 'secret', 'data-testid': 'new-token' }, r.token)) : null,
  );
}

// An action button that runs fn and reports into msgs, then reloads.
function action(label, msgs, fn, { danger = false, reload } = {}) {
  return h(
    'button',
    {
      type: 'button',
      class: `small${danger ? ' danger' : ''}`,
      onclick: async (e) => {
        const b = e.currentTarget;
        b.disabled = true;
        try {
          const done = await fn();
          if (done !== false && reload) await reload(done);
        } catch (err) {
          msgs.error(err);
        } finally {
          b.disabled = false;
        }
      },
    },
    label,
  );
}

// ---- 登记 (registry) ----

export async function holders(main) {
  const msgs = messageArea();
  const listMsgs = messageArea();

  const kind = field('主体类型', { type: 'select', name: 'kind', en: 'Kind', options: [['enterprise', '企业 enterprise'], ['department', '政务部门 department']] });
  const uscc = field('统一社会信用代码', { name: 'uscc', required: true, en: 'USCC', hint: '18 位，含校验码 (GB 32100)。已登记的代码：只保存您修改的字段。', attrs: { maxlength: '18', autocomplete: 'off', spellcheck: 'false' } });
  const name = field('法定名称', { name: 'name', required: true, en: 'Legal name' });
  const legalRep = field('法定代表人 / 负责人', { name: 'legal_rep', required: true, en: 'Legal representative' });
  const area = field('行政区划代码', { name: 'area_code', en: 'Area code', hint: '政务部门必填，6 位 (GB/T 2260)', attrs: { maxlength: '6', inputmode: 'numeric' } });
  const status = field('经营状态', { type: 'select', name: 'status', en: 'Status', options: [['active', '存续 active'], ['abnormal', '经营异常 abnormal'], ['revoked', '吊销 revoked'], ['deregistered', '注销 deregistered']] });
  const recordNote = h('div', { 'aria-live': 'polite', 'data-testid': 'holder-on-record' });
  // The note goes below the Save button: it appears when the look-up answers, which may be
  // while the clerk is clicking Save, and must not move the button from under the pointer.
  const form = h('form', { class: 'grid', novalidate: true, 'aria-label': '登记单位' }, kind, uscc, name, legalRep, area, status, h('div', { class: 'full' }, h('button', { type: 'submit', class: 'primary' }, '保存登记 Save')), recordNote);
  recordNote.className = 'full';

  // The fields the clerk changed (typed into or chose), so that an update of a USCC on record
  // sends only those and never erases a field the clerk left alone.
  const editable = { kind, name, legal_rep: legalRep, area_code: area, status };
  let dirty = new Set();
  let onRecord = null; // the record the form was filled from
  for (const [k, f] of Object.entries(editable)) {
    f.input.addEventListener('input', () => dirty.add(k));
    f.input.addEventListener('change', () => dirty.add(k));
  }
  function resetForm() {
    form.reset();
    dirty = new Set();
    onRecord = null;
    clear(recordNote);
  }
  // A USCC on record fills the fields the clerk has not typed into with the record's values.
  let lookupSeq = 0;
  uscc.input.addEventListener('change', async () => {
    const code = uscc.input.value.trim().toUpperCase();
    const seq = ++lookupSeq;
    onRecord = null;
    clear(recordNote);
    if (usccProblem(code)) return;
    const x = await holderByUscc(code).catch(() => null);
    if (seq !== lookupSeq || !x) return;
    onRecord = x;
    const values = { kind: x.kind, name: x.name, legal_rep: x.legal_rep, area_code: x.area_code || '', status: x.status };
    for (const [k, f] of Object.entries(editable)) if (!dirty.has(k)) f.input.value = values[k];
    recordNote.append(infoBox(`该代码已登记为“${x.name}”：修改需要变更的字段后保存，未修改的字段保持不变。 On record — only the fields you change are saved.`));
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    uscc.input.value = uscc.input.value.trim().toUpperCase();
    if (!validate([{ field: uscc, check: usccProblem }])) return;
    await busy(form, async () => {
      try {
        const code = uscc.input.value;
        const record = await holderByUscc(code);
        let body;
        if (record) {
          // An update: only what the clerk changed; an emptied area code clears it.
          const checks = [];
          if (dirty.has('name')) checks.push({ field: name, check: required('法定名称') });
          if (dirty.has('legal_rep')) checks.push({ field: legalRep, check: required('法定代表人') });
          if (dirty.has('area_code')) checks.push({ field: area, check: (v) => areaCodeProblem(v, record.kind === 'department') });
          if (!validate(checks)) return;
          body = { uscc: code };
          const now = { kind: kind.input.value, name: name.input.value.trim(), legal_rep: legalRep.input.value.trim(), area_code: area.input.value.trim(), status: status.input.value };
          for (const k of dirty) {
            if (k === 'area_code' ? now.area_code !== (record.area_code || '') : now[k] !== record[k]) body[k] = now[k];
          }
          if (Object.keys(body).length === 1) {
            msgs.show(infoBox(`“${record.name}”没有修改，未保存。 Nothing changed.`));
            return;
          }
        } else {
          if (!validate([
            { field: name, check: required('法定名称') },
            { field: legalRep, check: required('法定代表人') },
            { field: area, check: (v) => areaCodeProblem(v, kind.input.value === 'department') },
          ])) return;
          body = { kind: kind.input.value, uscc: code, name: name.input.value.trim(), legal_rep: legalRep.input.value.trim(), status: status.input.value };
          if (area.input.value.trim()) body.area_code = area.input.value.trim();
        }
        const x = await post('/api/v1/holders', body);
        resetForm();
        const label = { name: '法定名称', legal_rep: '法定代表人', area_code: '行政区划代码', status: '经营状态' };
        const changed = Object.keys(body).filter((k) => k !== 'uscc' && k !== 'kind').map((k) => label[k] || k);
        msgs.ok(record ? `已更新：${x.name}（${x.uscc}）— 修改了${changed.join('、')}` : `已登记：${x.name}（${x.uscc}）`);
        // Show the holder just saved in the list below.
        qName.input.value = '';
        qUscc.input.value = x.uscc;
        qKind.input.value = '';
        qStatus.input.value = '';
        await list.reload({ first: true });
      } catch (err) {
        msgs.error(err);
      }
    });
  });

  async function createAccount(holder, role) {
    const nameField = field('账户名称', { name: 'account_name', required: true, en: 'Account name', value: role === 'holder_admin' ? `${holder.name}管理员` : '' });
    const loginField = field('登录名', { name: 'account_login', en: 'Login (optional)', hint: '留空则使用账户编号 (empty: the account id)', attrs: { spellcheck: 'false', autocapitalize: 'off' } });
    const reason = await askReason({ titleZh: `为“${holder.name}”创建${roleName(role)}账户`, en: 'Create account', label: null, confirmText: '创建 Create', extra: h('div', { class: 'stack' }, nameField, loginField) });
    if (reason === null) return false;
    const n = nameField.input.value.trim();
    if (!n) {
      listMsgs.error(new Error('账户名称不能为空 (name required)'));
      return false;
    }
    const body = { name: n, role, holder_id: holder.id };
    if (loginField.input.value.trim()) body.login = loginField.input.value.trim();
    const r = await post('/api/v1/accounts', body);
    listMsgs.show(accountBox(`账户“${r.account.name}”（${roleName(r.account.role)}）`, r));
    return false;
  }

  async function attachImpression(holder) {
    const kindField = field('印章类型', { type: 'select', name: 'seal_kind', en: 'Seal kind', options: ['gov-service', 'legal-name', 'contract', 'finance', 'invoice', 'business', 'legal-rep'].map((k) => [k, `${kindName(k)} (${k})`]) });
    const fileField = field('印模图像 (PNG)', { type: 'file', name: 'image', required: true, en: 'Impression', attrs: { accept: 'image/png' } });
    const extra = h('div', { class: 'stack' }, kindField, fileField);
    const note = await askReason({ titleZh: `上传“${holder.name}”的实物印章印模`, en: 'Physical seal impression', label: null, confirmText: '上传 Upload', extra });
    if (note === null) return false;
    const f = fileField.input.files[0];
    if (!f) {
      listMsgs.error(new Error('请选择 PNG 文件 (choose a PNG file)'));
      return false;
    }
    const fd = new FormData();
    fd.append('kind', kindField.input.value);
    fd.append('image', f, f.name);
    const r = await post(`/api/v1/holders/${seg(holder.id)}/impressions`, fd);
    listMsgs.ok(`印模已上传 (${r.size} bytes, ${kindName(r.seal_kind)})`);
    return false;
  }

  const qName = field('名称包含', { name: 'q_name', en: 'Name contains' });
  const qUscc = field('统一社会信用代码', { name: 'q_uscc', en: 'USCC (exact)', attrs: { maxlength: '18', spellcheck: 'false' } });
  const qKind = field('类型', { type: 'select', name: 'q_kind', en: 'Kind', options: [['', '全部 all'], ['enterprise', '企业 enterprise'], ['department', '政务部门 department']] });
  const qStatus = field('状态', { type: 'select', name: 'q_status', en: 'Status', options: [['', '全部 all'], ['active', '存续 active'], ['abnormal', '经营异常 abnormal'], ['revoked', '吊销 revoked'], ['deregistered', '注销 deregistered']] });
  const search = searchForm('查询单位 Search holders', [qName, qUscc, qKind, qStatus], () => list.reload({ first: true }));
  const list = pagedList({
    label: '已登记单位',
    fetchPage: (offset, limit) =>
      get('/api/v1/holders', { query: { name: qName.input.value.trim(), uscc: qUscc.input.value.trim().toUpperCase(), kind: qKind.input.value, status: qStatus.input.value, limit, offset } }),
    render: (items) =>
      table(
        [
          { label: '法定名称', en: 'Name', render: (x) => h('strong', null, x.name) },
          { label: '统一社会信用代码', en: 'USCC', render: (x) => h('code', null, x.uscc) },
          { label: '类型', en: 'Kind', render: (x) => (x.kind === 'department' ? '政务部门' : '企业') },
          { label: '法定代表人', en: 'Legal rep.', render: (x) => x.legal_rep },
          { label: '区划', en: 'Area', render: (x) => x.area_code || '' },
          { label: '状态', en: 'Status', render: (x) => holderStatusBadge(x.status) },
          { label: '编号', en: 'Id', render: (x) => h('code', { title: x.id }, shortId(x.id, 14)) },
          {
            label: '操作',
            en: 'Actions',
            class: 'actions',
            render: (x) =>
              h(
                'div',
                { class: 'row' },
                action('创建管理员账户', listMsgs, () => createAccount(x, 'holder_admin')),
                action('创建用章人账户', listMsgs, () => createAccount(x, 'holder_user')),
                action('上传印模', listMsgs, () => attachImpression(x)),
              ),
          },
        ],
        items,
        { empty: '没有符合条件的单位 (no holders)' },
      ),
  });

  main.append(
    ...title('登记', 'Registry', '企业与政务部门的登记信息（同步自市场监管登记数据）。只有已登记且状态为“存续”的单位可以申请和使用电子印章。'),
    h('div', { class: 'card' }, sectionTitle('登记单位', 'Register an enterprise or department'), form, msgs),
    h('div', { class: 'card' }, sectionTitle('已登记单位', 'Holders'), search, listMsgs, list),
    await reviewerCard(),
  );
  await list.reload();
}

// Areas (行政区划) and reviewer accounts, for government-service seals (G13).
async function reviewerCard() {
  const msgs = messageArea();
  const list = h('div');
  const code = field('区划代码', { name: 'code', required: true, en: 'Code', attrs: { maxlength: '6', inputmode: 'numeric' } });
  const name = field('区划名称', { name: 'area_name', required: true, en: 'Name' });
  const level = field('级别', { type: 'select', name: 'level', en: 'Level', options: [['region', '自治区 region'], ['city', '市 city'], ['county', '县 county']] });
  const parent = field('上级区划代码', { name: 'parent_code', en: 'Parent' });
  const areaForm = h('form', { class: 'grid', novalidate: true, 'aria-label': '行政区划' }, code, name, level, parent, h('div', null, h('button', { type: 'submit' }, '保存区划 Save area')));
  areaForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([
      { field: code, check: (v) => areaCodeProblem(v, true) },
      { field: name, check: required('区划名称') },
      { field: parent, check: (v) => areaCodeProblem(v, false) },
    ])) return;
    const body = { name: name.input.value.trim(), level: level.input.value };
    if (parent.input.value.trim()) body.parent_code = parent.input.value.trim();
    await busy(areaForm, async () => {
      try {
        await put(`/api/v1/areas/${seg(code.input.value.trim())}`, body);
        areaForm.reset();
        msgs.ok('区划已保存 (saved)');
        await reload();
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  const rname = field('审核员名称', { name: 'reviewer_name', required: true, en: 'Reviewer name' });
  const rarea = field('所在区划代码', { name: 'reviewer_area', required: true, en: 'Office area' });
  const rlogin = field('登录名', { name: 'reviewer_login', en: 'Login (optional)', attrs: { spellcheck: 'false', autocapitalize: 'off' } });
  const revForm = h('form', { class: 'grid', novalidate: true, 'aria-label': '创建审核员' }, rname, rarea, rlogin, h('div', null, h('button', { type: 'submit' }, '创建审核员账户 Create reviewer')));
  revForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([
      { field: rname, check: required('审核员名称') },
      { field: rarea, check: (v) => areaCodeProblem(v, true) },
    ])) return;
    await busy(revForm, async () => {
      try {
        const body = { name: rname.input.value.trim(), role: 'reviewer', area_code: rarea.input.value.trim() };
        if (rlogin.input.value.trim()) body.login = rlogin.input.value.trim();
        const r = await post('/api/v1/accounts', body);
        revForm.reset();
        msgs.show(accountBox(`审核员“${r.account.name}”`, r));
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  async function reload() {
    await load(list, async () => {
      const r = await get('/api/v1/areas');
      return table(
        [
          { label: '代码', en: 'Code', render: (a) => h('code', null, a.code) },
          { label: '名称', en: 'Name', render: (a) => a.name },
          { label: '级别', en: 'Level', render: (a) => ({ region: '自治区', city: '市', county: '县' })[a.level] || a.level },
          { label: '上级', en: 'Parent', render: (a) => a.parent_code || '' },
        ],
        r.items,
        { empty: '尚未设置行政区划 (no areas)' },
      );
    });
  }
  const card = h(
    'details',
    { class: 'card' },
    h('summary', null, sectionTitle('政务服务：行政区划与审核员', 'Government service: areas and reviewers', 'h3')),
    h('p', { class: 'lead' }, '政务部门的印章申请由本级及上级审核员逐级审核（县、市、自治区）。'),
    areaForm,
    revForm,
    msgs,
    list,
  );
  card.addEventListener('toggle', () => card.open && reload(), { once: true });
  return card;
}

// ---- 审核 (applications) ----

export async function applications(main) {
  const msgs = messageArea();
  const status = field('状态', { type: 'select', name: 'status', en: 'Status', options: [['pending', '待审核 pending'], ['', '全部 all'], ['approved', '已批准 approved'], ['completed', '已完成 completed'], ['rejected', '已驳回 rejected']] });
  const type = field('事项', { type: 'select', name: 'type', en: 'Type', options: [['', '全部 all'], ['new_seal', '新申请 new_seal'], ['renew', '续期 renew'], ['change', '变更 change'], ['revoke', '注销 revoke'], ['password_change', '修改保护口令 password_change']] });
  const holderUscc = field('申请单位统一社会信用代码', { name: 'q_holder_uscc', en: 'Holder USCC', attrs: { maxlength: '18', spellcheck: 'false' } });
  const search = searchForm('查询申请 Search applications', [status, type, holderUscc], () => list.reload({ first: true }));
  const list = pagedList({
    label: '申请',
    fetchPage: async (offset, limit) => get('/api/v1/applications', { query: { status: status.input.value, type: type.input.value, ...(await holderFilter(holderUscc)), limit, offset } }),
    render: async (items) => applicationsTable(items, await holderMap(items.map((a) => a.holder_id)), msgs, () => list.reload()),
  });
  main.append(
    ...title('审核', 'Applications', '审核单位提交的电子印章申请：批准新申请即制章；驳回须说明原因。'),
    h('div', { class: 'card' }, search, msgs, list),
  );
  await list.reload();
}

export function applicationsTable(items, holders, msgs, reload) {
  return table(
    [
      { label: '提交时间', en: 'Submitted', class: 'nowrap', render: (a) => fmtTime(a.created_at) },
      { label: '申请单位', en: 'Holder', render: (a) => holderName(holders, a.holder_id) },
      { label: '事项', en: 'Type', render: (a) => appTypeName(a.type) },
      { label: '印章', en: 'Seal', render: (a) => [a.seal_kind ? kindName(a.seal_kind) : '', a.seal_name ? h('div', { class: 'hint' }, a.seal_name) : null] },
      { label: '说明', en: 'Reason', render: (a) => a.reason || '' },
      {
        label: '状态',
        en: 'Status',
        render: (a) => [
          statusBadge(a.status),
          (a.reviews || []).map((r) => h('div', { class: 'hint' }, `${r.approved ? '✔ 批准' : '✘ 驳回'}${r.level ? ` L${r.level}` : ''} ${fmtTime(r.decided_at)} ${r.reason || ''}`)),
        ],
      },
      {
        label: '操作',
        en: 'Actions',
        class: 'actions',
        render: (a) =>
          a.status === 'pending'
            ? h(
                'div',
                { class: 'row' },
                action('批准 Approve', msgs, async () => {
                  const reason = await askReason({ titleZh: '批准申请', en: 'Approve', label: '审核意见 Comment', requiredReason: false, confirmText: '批准 Approve' });
                  if (reason === null) return false;
                  const body = reason ? { reason } : {};
                  const r = await post(`/api/v1/applications/${seg(a.id)}/approve`, body);
                  if (r.status === 'pending') msgs.ok('本级审核已批准，转上一级审核。 Approved at this level; the next level reviews it now.');
                  else msgs.ok(`已批准 (${r.status})${r.result_seal_id ? '，印章已制作。Seal made.' : ''}`);
                }, { reload }),
                action('驳回 Reject', msgs, async () => {
                  const reason = await askReason({ titleZh: '驳回申请', en: 'Reject', label: '驳回原因 Reason', confirmText: '驳回 Reject', danger: true });
                  if (reason === null) return false;
                  await post(`/api/v1/applications/${seg(a.id)}/reject`, { reason });
                  msgs.ok('已驳回 (rejected)');
                }, { danger: true, reload }),
              )
            : '',
      },
    ],
    items,
    { empty: '没有符合条件的申请 (no applications)' },
  );
}

// ---- 印章管理 (seals) ----

export async function seals(main) {
  const msgs = messageArea();
  const status = field('状态', { type: 'select', name: 'status', en: 'Status', options: [['', '全部 all'], ['active', '有效 active'], ['suspended', '已暂停 suspended'], ['revoked', '已注销 revoked'], ['expired', '已过期 expired'], ['superseded', '已替换 superseded']] });
  const kind = field('印章类型', { type: 'select', name: 'q_kind', en: 'Kind', options: [['', '全部 all'], ...['legal-name', 'contract', 'finance', 'invoice', 'business', 'legal-rep', 'gov-service'].map((k) => [k, `${kindName(k)} ${k}`])] });
  const holderUscc = field('持章单位统一社会信用代码', { name: 'q_holder_uscc', en: 'Holder USCC', attrs: { maxlength: '18', spellcheck: 'false' } });
  const search = searchForm('查询印章 Search seals', [status, kind, holderUscc], () => list.reload({ first: true }));
  main.append(
    ...title('印章管理', 'Seals', '平台制作与备案的全部电子印章：暂停、恢复、注销，解除口令错误锁定。注销后的印章不能再签章，但此前签署的文档仍可验证。'),
    h('div', { class: 'card' }, search, msgs),
  );
  const reason = (titleZh, en, requiredReason = true) => askReason({ titleZh, en, requiredReason, confirmText: '确定 Confirm', danger: requiredReason });
  const reload = () => list.reload();
  const list = pagedList({
    label: '印章',
    fetchPage: async (offset, limit) => get('/api/v1/seals', { query: { status: status.input.value, kind: kind.input.value, ...(await holderFilter(holderUscc)), limit, offset } }),
    render: async (items) => {
      const holders = await holderMap(items.map((x) => x.holder_id));
      return table(
        [
          { label: '图像', en: 'Image', render: (s) => h('div', { style: 'width:64px;height:64px;display:flex;align-items:center;justify-content:center' }, authImage(`/api/v1/seals/${seg(s.id)}/image.png`, `${s.name} 印章图像`, { style: 'max-width:64px;max-height:64px' })) },
          { label: '印章名称', en: 'Name', render: (s) => [h('strong', null, s.name), h('div', { class: 'hint' }, `${kindName(s.kind)}${s.copy_no > 1 ? ` (${s.copy_no})` : ''}`)] },
          { label: '印章编码', en: 'esID', render: (s) => h('code', null, s.esid) },
          { label: '持章单位', en: 'Holder', render: (s) => holderName(holders, s.holder_id) },
          { label: '状态', en: 'Status', render: (s) => [statusBadge(s.status), s.locked ? [' ', statusBadge('locked')] : null, s.origin === 'filed' ? h('div', { class: 'hint' }, '备案 filed') : null] },
          { label: '有效期至', en: 'Valid to', class: 'nowrap', render: (s) => fmtTime(s.valid_to) },
          {
            label: '操作',
            en: 'Actions',
            class: 'actions',
            render: (s) =>
              h(
                'div',
                { class: 'row' },
                s.status === 'active'
                  ? action('暂停 Suspend', msgs, async () => {
                      const r = await reason(`暂停印章“${s.name}”`, 'Suspend');
                      if (r === null) return false;
                      await post(`/api/v1/seals/${seg(s.id)}/suspend`, { reason: r });
                      msgs.ok(`已暂停 ${s.esid}`);
                    }, { reload })
                  : null,
                s.status === 'suspended'
                  ? action('恢复 Resume', msgs, async () => {
                      const r = await reason(`恢复印章“${s.name}”`, 'Resume', false);
                      if (r === null) return false;
                      await post(`/api/v1/seals/${seg(s.id)}/resume`, r ? { reason: r } : {});
                      msgs.ok(`已恢复 ${s.esid}`);
                    }, { reload })
                  : null,
                s.status === 'active' || s.status === 'suspended'
                  ? action('注销 Revoke', msgs, async () => {
                      const r = await reason(`注销印章“${s.name}”（不可撤回）`, 'Revoke — cannot be undone');
                      if (r === null) return false;
                      await post(`/api/v1/seals/${seg(s.id)}/revoke`, { reason: r });
                      msgs.ok(`已注销 ${s.esid}`);
                    }, { danger: true, reload })
                  : null,
                s.locked
                  ? action('解除锁定 Unlock', msgs, async () => {
                      await post(`/api/v1/seals/${seg(s.id)}/unlock`, {});
                      msgs.ok(`已解除锁定 ${s.esid}`);
                    }, { reload })
                  : null,
              ),
          },
        ],
        items,
        { empty: '没有印章 (no seals)' },
      );
    },
  });
  main.lastElementChild.append(list);
  await list.reload();
}

// ---- 接入管理 (clients) ----

export async function clients(main) {
  const msgs = messageArea();
  const status = field('状态', { type: 'select', name: 'status', en: 'Status', options: [['', '全部 all'], ['pending', '待审核 pending'], ['approved', '已批准 approved'], ['suspended', '已暂停 suspended'], ['rejected', '已驳回 rejected']] });
  const search = searchForm('查询接入系统 Search clients', [status], () => list.reload({ first: true }));
  const reload = () => list.reload();
  const list = pagedList({
    label: '接入系统',
    fetchPage: (offset, limit) => get('/api/v1/clients', { query: { status: status.input.value, limit, offset } }),
    render: (items) =>
      table(
        [
          { label: '系统名称', en: 'Name', render: (c) => h('strong', null, c.name) },
          { label: '类型', en: 'Type', render: (c) => clientTypeName(c.type) },
          { label: '使用场景', en: 'Scenario', render: (c) => c.scenario },
          { label: '联系人', en: 'Contact', render: (c) => c.contact },
          { label: '状态', en: 'Status', render: (c) => [statusBadge(c.status), c.decision_reason ? h('div', { class: 'hint' }, c.decision_reason) : null] },
          { label: '限流/分钟', en: 'Rate/min', render: (c) => String(c.rate_limit_per_minute) },
          { label: '申请时间', en: 'Applied', class: 'nowrap', render: (c) => fmtTime(c.created_at) },
          {
            label: '操作',
            en: 'Actions',
            class: 'actions',
            render: (c) =>
              h(
                'div',
                { class: 'row' },
                c.status === 'pending'
                  ? action('批准 Approve', msgs, async () => {
                      const reason = await askReason({ titleZh: `批准接入“${c.name}”`, en: 'Approve', label: '审核意见 Comment', requiredReason: false, confirmText: '批准 Approve' });
                      if (reason === null) return false;
                      const r = await post(`/api/v1/clients/${seg(c.id)}/approve`, reason ? { reason } : {});
                      await reload();
                      msgs.show(r.token ? secretBox(`“${c.name}”的接入令牌`, r.token) : okBox('已批准 (approved)'));
                      return false;
                    })
                  : null,
                c.status === 'pending'
                  ? action('驳回 Reject', msgs, async () => {
                      const reason = await askReason({ titleZh: `驳回接入“${c.name}”`, en: 'Reject', confirmText: '驳回 Reject', danger: true });
                      if (reason === null) return false;
                      await post(`/api/v1/clients/${seg(c.id)}/reject`, { reason });
                      msgs.ok('已驳回 (rejected)');
                    }, { danger: true, reload })
                  : null,
                c.status === 'approved'
                  ? action('暂停 Suspend', msgs, async () => {
                      const reason = await askReason({ titleZh: `暂停接入“${c.name}”`, en: 'Suspend', confirmText: '暂停 Suspend', danger: true });
                      if (reason === null) return false;
                      await post(`/api/v1/clients/${seg(c.id)}/suspend`, { reason });
                      msgs.ok('已暂停 (suspended)');
                    }, { danger: true, reload })
                  : null,
                c.status === 'suspended'
                  ? action('恢复 Resume', msgs, async () => {
                      await post(`/api/v1/clients/${seg(c.id)}/resume`, {});
                      msgs.ok('已恢复 (resumed)');
                    }, { reload })
                  : null,
              ),
          },
        ],
        items,
        { empty: '没有接入申请 (no clients)' },
      ),
  });
  main.append(
    ...title('接入管理', 'Integration clients', '外部业务系统的接入申请：批准后发放接入令牌；可随时暂停。'),
    h('div', { class: 'card' }, search, msgs, list),
  );
  await list.reload();
}

// ---- 信任锚 (trust anchors, mutual recognition) ----

// What an anchor vouches for (DESIGN.md "Anchors have roles"), in the API's names.
const ANCHOR_ROLES = [
  ['seal_maker', '制章人', 'seal maker'],
  ['signer', '签章人', 'signer'],
  ['tsa', '时间戳', 'TSA'],
];
// A maker certificate vouches only for itself as a seal maker; a CA root for any roles.
const defaultAnchorRoles = (kind) => (kind === 'ca_root' ? ['seal_maker', 'signer'] : ['seal_maker']);

// Three labelled checkboxes; `.roles()` gives the checked names, `.set(names, kind)` sets
// them (and disables what a maker certificate cannot vouch for).
function roleChecks(prefix, labelFor) {
  const boxes = ANCHOR_ROLES.map(([name, zh, en]) => {
    const box = h('input', { type: 'checkbox', name: `${prefix}_role`, value: name });
    return { name, box, label: h('label', { class: 'role-check' }, box, `${zh} `, h('span', { class: 'en', lang: 'en' }, en)) };
  });
  for (const b of boxes) b.box.setAttribute('aria-label', labelFor(b));
  const wrap = h('div', { class: 'radios' }, boxes.map((b) => b.label));
  wrap.roles = () => boxes.filter((b) => b.box.checked).map((b) => b.name);
  wrap.set = (names, kind) => {
    for (const b of boxes) {
      b.box.checked = names.includes(b.name);
      b.box.disabled = kind === 'maker_certificate' && b.name !== 'seal_maker';
    }
  };
  return wrap;
}
const roleText = (names) => ANCHOR_ROLES.filter(([n]) => (names || []).includes(n)).map(([, zh, en]) => `${zh} ${en}`).join('、');

export async function anchors(main) {
  const msgs = messageArea();
  const sys = field('印章系统名称', { name: 'system_name', required: true, en: 'Seal system' });
  const kind = field('类型', { type: 'select', name: 'kind', en: 'Kind', options: [['ca_root', 'CA 根证书 ca_root'], ['maker_certificate', '制章者证书 maker_certificate']] });
  const cert = field('证书文件', { type: 'file', name: 'certificate', required: true, en: 'Certificate (DER or PEM)', attrs: { accept: '.cer,.crt,.der,.pem' } });
  const inter = field('中间 CA 证书', { type: 'file', name: 'intermediates', en: 'Intermediate CAs (PEM bundle, optional)', hint: '该系统的签发 CA（制章者、签章者证书的上级），须由上面的根证书签发', attrs: { accept: '.cer,.crt,.der,.pem' } });
  const crl = field('CRL 文件', { type: 'file', name: 'crl', en: 'CRL (optional)', attrs: { accept: '.crl,.der,.pem' } });
  const crlUrl = field('CRL 地址', { name: 'crl_url', en: 'CRL URL' });
  const statusUrl = field('状态查询地址', { name: 'status_url', en: 'Status URL' });
  const roles = roleChecks('new', (b) => `角色：${ANCHOR_ROLES.find(([n]) => n === b.name)[1]} (role)`);
  roles.set(defaultAnchorRoles(kind.input.value), kind.input.value);
  kind.input.addEventListener('change', () => roles.set(defaultAnchorRoles(kind.input.value), kind.input.value));
  const rolesErr = h('div', { class: 'field-error', id: 'anchor-roles-err' });
  const rolesField = h('fieldset', { class: 'full' }, h('legend', null, '角色 ', h('span', { class: 'en', lang: 'en' }, 'Roles')), roles,
    h('div', { class: 'hint' }, '该锚为哪些证书担保：制章人（签发印章的制章者证书）、签章人（签章者证书的 CA）、时间戳（时间戳服务的 CA）。CA 根证书作为制章人时，其制章者证书须带有本平台的制章人证书策略。'),
    rolesErr);
  const form = h('form', { class: 'grid', novalidate: true, 'aria-label': '登记信任锚' }, sys, kind, cert, inter, crl, crlUrl, statusUrl, rolesField, h('div', { class: 'full' }, h('button', { type: 'submit', class: 'primary' }, '登记 Register')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([
      { field: sys, check: required('印章系统名称') },
      { field: cert, check: requiredFile('证书文件') },
    ])) return;
    rolesErr.textContent = roles.roles().length ? '' : '请至少选择一个角色 (choose at least one role)';
    if (!roles.roles().length) return;
    const fd = new FormData();
    fd.append('system_name', sys.input.value.trim());
    fd.append('kind', kind.input.value);
    fd.append('certificate', cert.input.files[0], cert.input.files[0].name);
    if (inter.input.files[0]) fd.append('intermediates', inter.input.files[0], inter.input.files[0].name);
    if (crl.input.files[0]) fd.append('crl', crl.input.files[0], crl.input.files[0].name);
    if (crlUrl.input.value.trim()) fd.append('crl_url', crlUrl.input.value.trim());
    if (statusUrl.input.value.trim()) fd.append('status_url', statusUrl.input.value.trim());
    for (const r of roles.roles()) fd.append('roles', r);
    await busy(form, async () => {
      try {
        const a = await post('/api/v1/anchors', fd);
        form.reset();
        roles.set(defaultAnchorRoles(kind.input.value), kind.input.value);
        msgs.ok(`已登记信任锚：${a.system_name}`);
        await reload();
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  // The other system published a newer CRL: pick its file; the platform refuses an older one.
  function crlButton(a) {
    const picker = h('input', { type: 'file', class: 'visually-hidden', name: 'anchor_crl', accept: '.crl,.der,.pem', 'aria-label': `${a.system_name} 的新 CRL (new CRL)` });
    picker.addEventListener('change', async () => {
      const f = picker.files[0];
      if (!f) return;
      msgs.clear();
      const fd = new FormData();
      fd.append('crl', f, f.name);
      try {
        await post(`/api/v1/anchors/${seg(a.id)}/crl`, fd);
        msgs.ok(`已更新 CRL：${a.system_name} (CRL recorded)`);
      } catch (err) {
        msgs.error(err);
      } finally {
        picker.value = '';
      }
    });
    return [h('button', { type: 'button', class: 'small', onclick: () => picker.click() }, '更新 CRL Update CRL'), picker];
  }
  // The roles of a registered anchor: checkboxes and a save button while it is active.
  function roleEditor(a) {
    if (!a.active) return roleText(a.roles);
    const checks = roleChecks(`anchor_${a.id}`, (b) => `${a.system_name}：${ANCHOR_ROLES.find(([n]) => n === b.name)[1]} (${b.name})`);
    checks.set(a.roles || [], a.kind);
    const save = h('button', { type: 'button', class: 'small' }, '保存角色 Save roles');
    save.addEventListener('click', async () => {
      msgs.clear();
      const chosen = checks.roles();
      if (!chosen.length) {
        msgs.error(new Error('请至少选择一个角色 (choose at least one role)'));
        return;
      }
      save.disabled = true;
      try {
        const r2 = await put(`/api/v1/anchors/${seg(a.id)}/roles`, { roles: chosen });
        msgs.ok(`已更新角色：${a.system_name} — ${roleText(r2.roles)} (roles saved)`);
        await reload();
      } catch (err) {
        msgs.error(err);
      } finally {
        save.disabled = false;
      }
    });
    return h('div', { class: 'anchor-roles' }, checks, save);
  }
  const reload = () => list.reload();
  const list = pagedList({
    label: '信任锚',
    fetchPage: (offset, limit) => get('/api/v1/anchors', { query: { limit, offset } }),
    render: (items) =>
      table(
        [
          { label: '印章系统', en: 'System', render: (a) => h('strong', null, a.system_name) },
          { label: '类型', en: 'Kind', render: (a) => (a.kind === 'ca_root' ? 'CA 根证书' : '制章者证书') },
          { label: '角色', en: 'Roles', render: roleEditor },
          { label: 'CRL', en: 'CRL URL', render: (a) => a.crl_url || '' },
          { label: '状态', en: 'Status', render: (a) => statusBadge(a.active ? 'active' : 'revoked', a.active ? '启用' : '停用') },
          { label: '登记时间', en: 'Registered', class: 'nowrap', render: (a) => fmtTime(a.created_at) },
          {
            label: '操作',
            en: 'Actions',
            class: 'actions',
            render: (a) =>
              a.active
                ? [
                    crlButton(a),
                    action('停用 Deactivate', msgs, async () => {
                      const r2 = await askReason({ titleZh: `停用信任锚“${a.system_name}”？`, en: 'Deactivate', label: null, confirmText: '停用 Deactivate', danger: true });
                      if (r2 === null) return false;
                      await post(`/api/v1/anchors/${seg(a.id)}/deactivate`, {});
                      msgs.ok('已停用 (deactivated)');
                    }, { danger: true, reload }),
                  ]
                : '',
          },
        ],
        items,
        { empty: '尚未登记其他印章系统的信任锚 (no anchors)' },
      ),
  });
  main.append(
    ...title('信任锚', 'Trust anchors', '互信互认：登记其他合规印章系统的制章者证书或 CA 根证书后，本平台即可验证其印章及签章文档。'),
    h('div', { class: 'card' }, sectionTitle('登记信任锚', 'Register an anchor'), form, msgs),
    h('div', { class: 'card' }, sectionTitle('已登记', 'Registered anchors'), list),
  );
  await reload();
}

// ---- 备案 (filing with the national platform) ----

export async function filings(main) {
  const msgs = messageArea();
  const status = field('状态', { type: 'select', name: 'status', en: 'Status', options: [['pending', '待导出 pending'], ['', '全部 all'], ['exported', '已导出 exported'], ['acknowledged', '已确认 acknowledged']] });
  status.input.addEventListener('change', () => list.reload({ first: true }));
  const exportBtn = action('导出待备案记录 Export pending', msgs, async () => {
    const b = await post('/api/v1/filings/export', {});
    msgs.show(batchBox(b));
  }, { reload: () => reload() });
  const batchId = field('批次编号', { name: 'batch', en: 'Batch id' });
  const batchForm = h('form', { class: 'grid', novalidate: true, 'aria-label': '备案批次' }, batchId, h('div', { class: 'row' }, h('button', { type: 'submit' }, '查看批次 Show batch')));
  batchForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!validate([{ field: batchId, check: required('批次编号') }])) return;
    try {
      msgs.show(batchBox(await get(`/api/v1/filings/batches/${seg(batchId.input.value.trim())}`)));
    } catch (err) {
      msgs.error(err);
    }
  });
  function batchBox(b) {
    const bytes = Uint8Array.from(atob(b.export || ''), (c) => c.charCodeAt(0));
    return okBox(
      kv([
        ['批次 Batch', h('code', null, b.id)],
        ['状态 Status', statusBadge(b.status)],
        ['导出时间 Created', fmtTime(b.created_at)],
        b.acknowledged_at ? ['确认时间 Acknowledged', fmtTime(b.acknowledged_at)] : null,
      ]),
      h(
        'div',
        { class: 'row', style: 'margin-top:0.5rem' },
        h('button', { type: 'button', class: 'small', onclick: () => downloadBlob(new Blob([bytes]), `filing-${b.id}.bin`) }, '下载导出文件 Download export'),
        b.status !== 'acknowledged'
          ? action('国家平台已接收 Acknowledge', msgs, async () => {
              msgs.show(batchBox(await post(`/api/v1/filings/batches/${seg(b.id)}/acknowledge`, {})));
            }, { reload: () => reload() })
          : null,
      ),
    );
  }
  const reload = () => list.reload();
  const list = pagedList({
    label: '备案记录',
    fetchPage: (offset, limit) => get('/api/v1/filings', { query: { status: status.input.value, limit, offset } }),
    render: (items) =>
      table(
        [
          { label: '时间', en: 'Created', class: 'nowrap', render: (f) => fmtTime(f.created_at) },
          { label: '事项', en: 'Event', render: (f) => ({ made: '制章', changed: '变更', revoked: '注销' })[f.event] || f.event },
          { label: '印章', en: 'Seal', render: (f) => (f.payload && f.payload.esid ? h('code', null, f.payload.esid) : h('code', null, shortId(f.seal_id, 14))) },
          { label: '状态', en: 'Status', render: (f) => statusBadge(f.status) },
          { label: '批次', en: 'Batch', render: (f) => (f.batch_id ? h('code', null, f.batch_id) : '') },
        ],
        items,
        { empty: '没有备案记录 (no filing records)' },
      ),
  });
  main.append(
    ...title('备案', 'Filing with the national platform', '制作、变更、注销的印章记录汇总成由平台签名的批次，报送全国电子印章平台。'),
    h('div', { class: 'card' }, h('div', { class: 'row' }, status, exportBtn), batchForm, msgs, list),
  );
  await reload();
}

// ---- 审计 (audit log) ----

export async function audit(main) {
  const msgs = messageArea();
  const verifyOut = h('div', { 'aria-live': 'polite', 'data-testid': 'audit-verify' });
  let broken = null;
  const verifyBtn = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      onclick: async () => {
        verifyBtn.disabled = true;
        clear(verifyOut).append(h('p', { class: 'empty busy' }, '正在核验审计链'));
        try {
          const v = await get('/api/v1/audit/verify');
          broken = v.first_broken_seq ?? null;
          clear(verifyOut).append(
            v.ok
              ? okBox(h('strong', null, '审计链完整 — Chain intact. '), `共 ${v.entries} 条记录，${v.checkpoints} 个签名检查点 (entries, signed checkpoints)。`)
              : h(
                  'div',
                  { class: 'msg error', role: 'alert' },
                  h('strong', null, '审计链已被破坏 — Chain broken. '),
                  broken !== null ? [`第一条异常记录：序号 `, h('strong', { 'data-testid': 'first-broken' }, String(broken)), '。'] : null,
                  v.problem ? h('div', null, v.problem) : null,
                ),
          );
          // Open the page that starts with the first broken entry (sequence numbers count from 1).
          if (broken !== null) {
            const start = Math.max(0, broken - 1);
            await list.goto(start, start);
            const row = document.getElementById(`audit-${broken}`);
            if (row) row.scrollIntoView({ block: 'center' });
          } else {
            await list.reload();
          }
        } catch (err) {
          clear(verifyOut).append(errorBox(err));
        } finally {
          verifyBtn.disabled = false;
        }
      },
    },
    '核验审计链 Verify chain',
  );
  const list = pagedList({
    label: '审计记录',
    limit: 50,
    fetchPage: (afterSeq, limit) => get('/api/v1/audit', { query: { after_seq: afterSeq, limit } }),
    render: (entries) => {
      const t = table(
        [
          { label: '序号', en: 'Seq', render: (e) => [h('strong', null, String(e.seq)), broken !== null && e.seq === broken ? h('span', { class: 'badge fail', style: 'margin-left:0.4rem' }, '⚠ 异常 broken') : null] },
          { label: '时间', en: 'Time', class: 'nowrap', render: (e) => fmtTime(e.at) },
          { label: '操作者', en: 'Actor', render: (e) => h('code', { title: e.actor }, shortId(e.actor, 14)) },
          { label: '动作', en: 'Action', render: (e) => h('code', null, e.action) },
          { label: '对象', en: 'Object', render: (e) => [e.object_type, ' ', h('code', { title: e.object_id }, shortId(e.object_id, 14))] },
          { label: '详情', en: 'Details', render: (e) => detailsText(e.details) },
          { label: '哈希', en: 'Hash', render: (e) => h('code', { title: e.hash }, shortId(e.hash, 12)) },
        ],
        entries,
        { rowClass: (e) => (broken !== null && e.seq === broken ? 'row-broken' : null), empty: '审计日志为空 (empty)' },
      );
      t.querySelectorAll('tbody tr').forEach((tr, i) => (tr.id = `audit-${entries[i].seq}`));
      return t;
    },
  });
  main.append(
    ...title('审计', 'Audit log', '制章、续期、变更、注销、签章等每一项操作的审计记录，以哈希链串联并定期由平台密钥签名，任何篡改都可以被发现。'),
    h('div', { class: 'card' }, h('div', { class: 'row' }, verifyBtn), verifyOut),
    h('div', { class: 'card' }, msgs, list),
  );
  // Open at the newest entries (sequence numbers count from 1 without gaps); 上一页 goes back.
  let total = 0;
  try {
    total = (await get('/api/v1/audit', { query: { after_seq: 0, limit: 1 } })).total || 0;
  } catch (err) {
    msgs.error(err);
  }
  const start = Math.max(0, total - 50);
  await list.goto(start, start);
}

function detailsText(d) {
  if (d === null || d === undefined) return '';
  if (typeof d !== 'object') return String(d);
  const parts = Object.entries(d)
    .filter(([, v]) => v !== '' && v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  return h('span', { class: 'hint details' }, parts.join('; '));
}

export { infoBox, request };
