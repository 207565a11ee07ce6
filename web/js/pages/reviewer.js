// The government-service reviewer's queue (审核员, 逐级审核 G13): department applications of
// the reviewer's area waiting at the reviewer's level.

import { get } from '../api.js';
import { field, h, messageArea, pagedList, searchForm, title } from '../ui.js';
import { applicationsTable, holderMap } from './operator.js';

export async function queue(main, ctx) {
  const msgs = messageArea();
  const status = field('状态', { type: 'select', name: 'status', en: 'Status', options: [['pending', '待审核 pending'], ['', '全部 all'], ['approved', '已批准 approved'], ['completed', '已完成 completed'], ['rejected', '已驳回 rejected']] });
  const search = searchForm('查询申请 Search applications', [status], () => list.reload({ first: true }));
  const list = pagedList({
    label: '审核队列',
    fetchPage: (offset, limit) => get('/api/v1/applications', { query: { status: status.input.value, limit, offset } }),
    render: async (items) => applicationsTable(items, await holderMap(items.map((a) => a.holder_id)), msgs, () => list.reload()),
  });
  main.append(
    ...title('审核队列', 'Review queue', `政务服务电子印章申请，按县、市、自治区逐级审核。本账户审核区划：${ctx.me.area_code || '—'}。最后一级批准后制章。`),
    h('div', { class: 'card' }, search, msgs, list),
  );
  await list.reload();
}
