// test/tui/cli/pages.test.ts — allPages: stops on `total`, on `has_next`, and on an empty
// page, and keeps the last page's other fields.
import t from 'tap';
import { allPages } from '../../../tui/cli/pages.js';

const pages = <P>(list: P[]) => {
  const asked: number[] = [];
  return { asked, fetch: async (offset: number): Promise<P> => { asked.push(offset); return list[asked.length - 1]!; } };
};

t.test('by total', async (t) => {
  const p = pages([{ total: 3, items: [1, 2] }, { total: 3, items: [3] }, { total: 3, items: [99] }]);
  t.same(await allPages(p.fetch), { total: 3, items: [1, 2, 3] });
  t.same(p.asked, [0, 2]);
});

t.test('by has_next, which wins over total, and the last page\'s fields', async (t) => {
  const p = pages([{ total: 1, has_next: true, items: ['a'], note: 'x' }, { total: 1, has_next: false, items: ['b'], note: 'y' }]);
  t.same(await allPages(p.fetch), { total: 1, has_next: false, items: ['a', 'b'], note: 'y' });
  t.same(p.asked, [0, 1]);
});

t.test('an empty page ends the list', async (t) => {
  const p = pages([{ total: 10, items: [1] }, { total: 10, items: [] }]);
  t.same(await allPages(p.fetch), { total: 10, items: [1] });
  const q = pages([{ total: 5, has_next: true, items: [] }]);
  t.same(await allPages(q.fetch), { total: 5, has_next: false, items: [] });
});
