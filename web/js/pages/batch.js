// Batch signing (批量签章) on the signing page: several documents chosen at once go to
// POST /api/v1/seals/{id}/sign-batch with the password (one unlock for the whole batch).
// The answer streams one line per document; each appears here as it arrives, signed with a
// download link or refused with the server's reason, and a refused one stops no other.

import { request, seg } from '../api.js';
import { clear, h } from '../ui.js';

// The signed file from a result line (base64) as a download link.
function downloadLink(line) {
  const bin = atob(line.document);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: line.content_type || 'application/octet-stream' }));
  return h('a', { class: 'btn small primary', href: url, download: line.file_name, 'data-testid': 'batch-download' }, '下载 Download');
}

function row(line) {
  if (line.ok) {
    return h(
      'tr',
      { 'data-testid': 'batch-row', 'data-ok': 'true' },
      h('td', null, String(line.index + 1)),
      h('td', null, line.name),
      h('td', null, h('span', { class: 'badge pass' }, '已签章 Signed')),
      h('td', null, h('code', null, line.signature_id)),
      h('td', null, downloadLink(line)),
    );
  }
  const e = line.error || {};
  return h(
    'tr',
    { 'data-testid': 'batch-row', 'data-ok': 'false' },
    h('td', null, String(line.index + 1)),
    h('td', null, line.name),
    h('td', null, h('span', { class: 'badge fail' }, '未签章 Not signed')),
    h('td', { colspan: '2' }, e.message || e.code || ''),
  );
}

// Signs `files` with the fields already in `fd` (password, placement, mode), showing each
// result in `result` as it arrives. Throws the whole batch's refusal (wrong password, ...).
export async function signBatch(sealId, files, fd, result) {
  for (const f of files) fd.append('documents', f, f.name);
  const body = h('tbody');
  const summary = h('p', { 'data-testid': 'batch-summary' }, `正在签章 ${files.length} 份文件… (signing ${files.length} documents)`);
  clear(result).append(
    h(
      'div',
      { class: 'card', 'data-testid': 'batch-result' },
      h('h2', null, '批量签章', h('span', { class: 'en' }, 'Batch')),
      summary,
      h('table', null, h('thead', null, h('tr', null, ...['#', '文件 File', '结果 Result', '签章记录 Record', ''].map((t) => h('th', null, t)))), body),
    ),
  );
  await request('POST', `/api/v1/seals/${seg(sealId)}/sign-batch`, {
    body: fd,
    expect: 'ndjson',
    onLine: (line) => {
      if (line.done) {
        summary.textContent = `完成：${line.signed} 份已签章，${line.failed} 份未签章 (done: ${line.signed} signed, ${line.failed} not signed)`;
        summary.dataset.done = 'true';
        return;
      }
      body.append(row(line));
    },
  });
}
