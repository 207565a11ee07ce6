// Public pages: 验章 (verify a document), seal status, 公示 (notices), access application.

import { get, post, seg } from '../api.js';
import {
  busy, clear, clientTypeName, errorBox, field, fmtTime, h, infoBox, kindName, kv, load, messageArea,
  okBox, required, requiredFile, resultBadge, sectionTitle, statusBadge, statusName, table, title, validate,
  verdictName,
} from '../ui.js';
import { esidProblem } from '../validate.js';

export function home(main, ctx) {
  const tiles = [
    ['/verify', '验章', 'Verify a signed OFD document', '上传 OFD 文件，逐一核验每个电子签章。'],
    ['/seal-status', '印章状态查询', 'Seal status', '按印章编码查询电子印章在某一时刻的状态。'],
    ['/public-notices', '公示', 'Public notices', '政务服务电子印章的变更、注销公示。'],
  ];
  if (!ctx.me) tiles.push(['/login', '登录', 'Sign in', '运营方、单位管理员、用章人、审核员使用令牌登录。']);
  else tiles.unshift([ctx.homeFor(ctx.me), '我的工作台', 'My workspace', '进入您的业务页面。']);
  main.append(
    ...title('电子印章平台', 'Electronic Seal Platform', '企业与政务部门电子印章的申请、制章、签章、验章与全生命周期管理。'),
    h('div', { class: 'home-tiles' }, tiles.map(([href, zh, en, text]) => h('a', { class: 'tile', href, 'data-nav': '' }, h('strong', null, zh), h('span', { lang: 'en' }, en), h('p', null, text)))),
  );
}

// ---- 验章 ----

export function verify(main) {
  const file = field('文档（OFD 或 PDF）', { type: 'file', name: 'document', required: true, en: 'Document (OFD or PDF)', attrs: { accept: '.ofd,.pdf,application/ofd,application/pdf' }, hint: '选择要核验的已签章 OFD 或 PDF 文档 (a signed OFD or PDF document)' });
  const msgs = messageArea();
  const result = h('section', { id: 'verify-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', novalidate: true }, file, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, '验章 Verify')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([{ field: file, check: requiredFile('文档') }])) return;
    const f = file.input.files[0];
    clear(result).append(h('p', { class: 'empty busy' }, `正在核验 ${f.name}`));
    await busy(form, async () => {
      try {
        const fd = new FormData();
        fd.append('document', f, f.name);
        const report = await post('/api/v1/verify', fd, { auth: false });
        clear(result).append(renderReport(report, f.name));
      } catch (err) {
        clear(result);
        msgs.error(err);
      }
    });
  });
  main.append(
    ...title('验章', 'Verify a document', '上传 OFD 或 PDF 文档，平台核验其中每一个电子签章：文档是否被篡改、签名是否有效、印章与证书是否可信、签章时印章是否有效。'),
    h('div', { class: 'card' }, form, msgs),
    result,
  );
}

const VERDICT_SUB = {
  PASSED: '所有签章均有效，文档签章后未被修改。 All signatures verify and the document is unchanged since signing.',
  FAILED: '至少一项检查失败：文档可能被篡改，或签章无效。 At least one check failed.',
  INDETERMINATE: '无法得出结论（例如印章制作方不在信任列表中）。 Could not be decided (e.g. an unknown seal maker).',
};

function infoParam(checks, id, key) {
  const c = (checks || []).find((x) => x.id === id);
  return c && c.params ? c.params[key] : undefined;
}

function checksTable(checks) {
  return table(
    [
      { label: '结果', en: 'Result', render: (c) => resultBadge(c.result) },
      { label: '检查项', en: 'Check id', render: (c) => h('code', { class: 'check-id' }, c.id) },
      {
        label: '说明',
        en: 'Detail',
        render: (c) => [
          c.detail || '',
          c.params && Object.keys(c.params).length
            ? h('ul', { class: 'params' }, Object.entries(c.params).map(([k, v]) => h('li', null, h('code', null, k), ' = ', String(v))))
            : null,
        ],
      },
    ],
    checks || [],
    { rowClass: (c) => `row-${c.result}`, empty: '无检查项 (no checks)', className: 'checks' },
  );
}

// The checks that need attention (fail, indeterminate, warning) in their own table, then
// every check (in the report's order) behind a disclosure.
const ATTENTION = { fail: 0, indeterminate: 1, warning: 2 };
function checksSection(checks) {
  const all = checks || [];
  const attention = all.filter((c) => c.result in ATTENTION).sort((a, b) => ATTENTION[a.result] - ATTENTION[b.result]);
  return [
    attention.length
      ? [h('h4', { class: 'attention-title' }, '需关注的检查', h('span', { class: 'en' }, 'Checks that failed or could not be decided')), checksTable(attention)]
      : h('p', { class: 'all-pass' }, '✔ 所有检查均通过 (every check passed)'),
    h('details', { class: 'more' }, h('summary', null, `全部 ${all.length} 项检查 (all checks, in order)`), checksTable(all)),
  ];
}

function countBy(checks) {
  const n = {};
  for (const c of checks || []) n[c.result] = (n[c.result] || 0) + 1;
  return ['pass', 'fail', 'indeterminate', 'warning', 'info', 'skipped'].filter((k) => n[k]).map((k) => `${k} ${n[k]}`).join(' · ');
}

// A verification report ({verdict, checks, signatures: [{id, type, path, verdict, checks}]})
// as a verdict banner and one table of checks per signature.
export function renderReport(report, name) {
  const v = report.verdict || 'INDETERMINATE';
  const sigs = report.signatures || [];
  const out = h('div', { class: 'report', 'data-verdict': v });
  out.append(
    h(
      'div',
      { class: `verdict ${v}`, role: 'status', 'data-testid': 'verdict' },
      h('div', null, h('div', { class: 'big' }, `${verdictName(v)} ${v}`), h('div', { class: 'sub' }, name ? `${name} — ` : '', `${sigs.length} 个签章 (signatures)。`, VERDICT_SUB[v] || '')),
    ),
  );
  // Why the verdict is what it is, as the verifier words it (Chinese, then English).
  if (report.summary && report.summary.zh) {
    out.append(h('div', { class: 'card report-summary', 'data-testid': 'summary' }, h('p', null, report.summary.zh), h('p', { class: 'en' }, report.summary.en || '')));
  }
  if (report.checks && report.checks.length) {
    out.append(h('div', { class: 'card' }, sectionTitle('文档检查', 'Document checks', 'h3'), checksSection(report.checks)));
  }
  sigs.forEach((s, i) => {
    const sv = s.verdict || 'INDETERMINATE';
    const sealName = infoParam(s.checks, 'ses.seal.info', 'name');
    const esid = infoParam(s.checks, 'ses.seal.info', 'esid');
    const time = infoParam(s.checks, 'ses.signature.info', 'signing_time') || infoParam(s.checks, 'sign.time', 'signing_time');
    const judged = infoParam(s.checks, 'time.validation', 'time');
    const proven = infoParam(s.checks, 'time.validation', 'proven') === 'true';
    const signer = infoParam(s.checks, 'ses.signature.info', 'signer');
    out.append(
      h(
        'section',
        { class: `sig-block ${sv}`, 'data-testid': 'signature' },
        h('h3', null, `签章 ${i + 1}`, h('span', { class: 'en' }, s.field !== undefined ? `Signature ${s.field} (PDF, ${s.format || '?'})` : `Signature ${s.id || ''} (Type ${s.type || '?'})`), h('span', { class: `badge ${sv === 'PASSED' ? 'pass' : sv === 'FAILED' ? 'fail' : 'indeterminate'}` }, `${verdictName(sv)} ${sv}`)),
        kv([
          sealName ? ['印章名称 Seal', sealName] : null,
          esid ? ['印章编码 esID', h('code', null, esid)] : null,
          time ? ['声称的签章时间 Claimed signing time', fmtTime(time)] : null,
          judged ? ['判定时间 Judged at', `${fmtTime(judged)} ${proven ? '（已证明 proven）' : '（未证明，按验证时间 not proven: time of verification）'}`] : null,
          signer ? ['签章人证书 Signer', signer] : null,
          s.path ? ['位置 Path', h('code', null, s.path)] : null,
        ]),
        s.summary && s.summary.zh ? h('p', { class: 'sig-summary' }, s.summary.zh, h('span', { class: 'en' }, s.summary.en || '')) : null,
        h('p', { class: 'summary-line' }, countBy(s.checks)),
        checksSection(s.checks),
      ),
    );
  });
  if (!sigs.length) out.append(infoBox('文档中没有签章。 The document has no signatures.'));
  return out;
}

// ---- seal status ----

export function sealStatus(main) {
  const esid = field('印章编码 (esID)', { name: 'esid', required: true, en: 'Seal code', placeholder: '例如 45010004250101123456', attrs: { autocomplete: 'off', spellcheck: 'false' } });
  const at = field('查询时刻', { type: 'datetime-local', name: 'at', en: 'At (optional)', hint: '留空为当前时刻 (empty: now)', attrs: { step: '1' } });
  const msgs = messageArea();
  const out = h('section', { 'aria-live': 'polite' });
  const form = h('form', { class: 'grid', novalidate: true }, esid, at, h('div', null, h('button', { type: 'submit', class: 'primary' }, '查询 Look up')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([{ field: esid, check: esidProblem }])) return;
    const query = {};
    if (at.input.value) {
      const d = new Date(at.input.value);
      if (Number.isNaN(d.getTime())) {
        at.setError('时间格式不正确 (invalid time)');
        return;
      }
      query.at = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    await busy(form, async () => {
      try {
        const s = await get(`/api/v1/seals/${seg(esid.input.value.trim())}/status`, { query, auth: false });
        clear(out).append(
          h(
            'div',
            { class: 'card', 'data-testid': 'status-result' },
            h('h2', null, s.valid ? '有效 — 可用于签章' : '无效 — 不可签章', h('span', { class: 'en' }, s.valid ? 'valid' : 'not valid'), ' ', statusBadge(s.status)),
            kv([
              ['印章编码 esID', h('code', null, s.esid)],
              ['查询时刻 At', fmtTime(s.at)],
              ['状态 Status', `${statusName(s.status)} (${s.status})`],
              ['有效期 Validity', `${fmtTime(s.valid_from)} — ${fmtTime(s.valid_to)}`],
              s.reason ? ['原因 Reason', s.reason] : null,
            ]),
          ),
        );
      } catch (err) {
        clear(out);
        msgs.error(err);
      }
    });
  });
  main.append(...title('印章状态查询', 'Seal status', '查询本平台制作或备案的电子印章在某一时刻是否有效（签章时有效的文档在印章注销后仍然有效）。'), h('div', { class: 'card' }, form, msgs), out);
}

// ---- 公示 ----

const EVENT_NAMES = { made: '制章', suspended: '暂停', resumed: '恢复', revoked: '注销', superseded: '变更（旧章失效）', filed: '备案' };

export async function notices(main) {
  const list = h('div');
  main.append(
    ...title('公示', 'Public notices', '政务服务电子印章的变更与注销公示。'),
    h('p', null, h('a', { href: '/api/v1/notices.atom' }, 'Atom 订阅 (feed)')),
    list,
  );
  await load(list, async () => {
    const r = await get('/api/v1/notices', { auth: false, query: { limit: 200 } });
    return table(
      [
        { label: '时间', en: 'Date', class: 'nowrap', render: (n) => fmtTime(n.at) },
        { label: '事项', en: 'Event', render: (n) => statusBadge(n.event === 'revoked' ? 'revoked' : 'neutral', EVENT_NAMES[n.event] || n.event) },
        { label: '印章名称', en: 'Seal', render: (n) => n.seal_name },
        { label: '印章编码', en: 'esID', render: (n) => h('code', null, n.esid) },
        { label: '类型', en: 'Kind', render: (n) => kindName(n.kind) },
        { label: '持章单位', en: 'Holder', render: (n) => n.holder_name },
        { label: '原因', en: 'Reason', render: (n) => n.reason },
      ],
      r.items,
      { empty: '暂无公示 (no notices)' },
    );
  });
}

// ---- access application (E10) ----

export function clientApply(main) {
  const name = field('系统名称', { name: 'name', required: true, en: 'System name' });
  const type = field('接入类型', {
    type: 'select',
    name: 'type',
    required: true,
    en: 'Type',
    options: ['agency', 'enterprise', 'vendor', 'regulator_feed', 'security_feed'].map((t) => [t, `${clientTypeName(t)} (${t})`]),
  });
  const scenario = field('使用场景', { type: 'textarea', name: 'scenario', required: true, en: 'Scenario', full: true, hint: '说明接入后用于哪些签章、验章业务' });
  const contact = field('联系人及电话', { name: 'contact', required: true, en: 'Contact' });
  const holderId = field('所属单位编号', { name: 'holder_id', en: 'Holder id (enterprise clients)', hint: '企业自建系统填写本单位在平台的编号' });
  const msgs = messageArea();
  const form = h('form', { class: 'grid', novalidate: true }, name, type, contact, holderId, scenario, h('div', { class: 'full' }, h('button', { type: 'submit', class: 'primary' }, '提交申请 Submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msgs.clear();
    if (!validate([
      { field: name, check: required('系统名称') },
      { field: scenario, check: required('使用场景') },
      { field: contact, check: required('联系人') },
    ])) return;
    const body = { name: name.input.value.trim(), type: type.input.value, scenario: scenario.input.value.trim(), contact: contact.input.value.trim() };
    if (holderId.input.value.trim()) body.holder_id = holderId.input.value.trim();
    await busy(form, async () => {
      try {
        const c = await post('/api/v1/clients/apply', body, { auth: false });
        form.reset();
        msgs.ok(`申请已提交，等待平台运营方审核。申请编号 `, h('code', null, c.id), ` (status: ${c.status})`);
      } catch (err) {
        msgs.error(err);
      }
    });
  });
  main.append(...title('接入申请', 'Apply for access', '政务机关、企业和服务商的业务系统接入印章平台，须经平台运营方审核批准；批准后发放接入令牌。'), h('div', { class: 'card' }, form, msgs));
}

export { errorBox, okBox };
