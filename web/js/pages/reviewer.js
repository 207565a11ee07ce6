// The government-service reviewer's queue (审核员, 逐级审核 G13): department applications of
// the reviewer's area waiting at the reviewer's level.

import { get } from '../api.js';
import { field, h, load, messageArea, title } from '../ui.js';
import { applicationsTable } from './operator.js';

export async function queue(main, ctx) {
  const msgs = messageArea();
  const list = h('div');
  const status = field('状态', { type: 'select', name: 'status', en: 'Status', options: [['pending', '待审核 pending'], ['', '全部 all'], ['approved', '已批准 approved'], ['completed', '已完成 completed'], ['rejected', '已驳回 rejected']] });
  status.input.addEventListener('change', () => reload());
  main.append(
    ...title('审核队列', 'Review queue', `政务服务电子印章申请，按县、市、自治区逐级审核。本账户审核区划：${ctx.me.area_code || '—'}。最后一级批准后制章。`),
    h('div', { class: 'card' }, h('div', { class: 'row' }, status), msgs, list),
  );
  async function reload() {
    await load(list, async () => {
      const [r, holders] = await Promise.all([
        get('/api/v1/applications', { query: { status: status.input.value, limit: 500 } }),
        get('/api/v1/holders', { query: { limit: 1000 } }).then((x) => new Map((x.items || []).map((y) => [y.id, y]))).catch(() => new Map()),
      ]);
      return applicationsTable(r.items, holders, msgs, reload);
    });
  }
  await reload();
}
