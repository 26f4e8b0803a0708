import { mount } from '@vue/test-utils';
import { h } from 'vue';

import AdminTable from '../src/components/AdminTable.vue';
import { adminColumns } from '../src/components/admin-table';

interface Row {
  id: string;
  email: string;
  status: string;
  createdAt: string;
}

const column = adminColumns<Row>();
const columns = [
  column.accessor('email', { header: 'User' }),
  column.accessor('status', {
    header: 'Status',
    meta: {
      filter: {
        label: 'Status',
        name: 'status',
        options: [
          { value: 'RUNNING', label: 'running' },
          { value: 'STOPPED', label: 'stopped' },
        ],
      },
    },
  }),
  column.accessor('createdAt', { header: 'Joined', sortFn: 'datetime' }),
];
const rows: Row[] = [
  { id: '1', email: 'bob@example.org', status: 'RUNNING', createdAt: '2026-11-02T10:00:00Z' },
  { id: '2', email: 'ada@example.org', status: 'STOPPED', createdAt: '2026-11-03T10:00:00Z' },
];

function mountTable(extra: Record<string, unknown> = {}, slots: Record<string, unknown> = {}) {
  return mount(AdminTable, {
    props: {
      caption: 'Users',
      rows,
      columns,
      total: 60,
      rowKey: (row: Row) => row.id,
      rowAttrs: (row: Row) => ({ 'data-user': row.email }),
      pagination: { pageIndex: 0, pageSize: 25 },
      ...extra,
    } as never,
    slots: slots as never,
  });
}
const emails = (wrapper: ReturnType<typeof mount>) =>
  wrapper.findAll('tbody tr').map((tr) => tr.attributes('data-user'));

describe('AdminTable', () => {
  it('renders rows with their data attributes, and cells through slots when given', () => {
    const wrapper = mountTable({}, { 'cell-status': ({ row }: { row: Row }) => h('strong', row.status.toLowerCase()) });
    expect(emails(wrapper)).toEqual(['bob@example.org', 'ada@example.org']);
    expect(wrapper.find('tbody tr td strong').text()).toBe('running');
    expect(wrapper.find('caption').text()).toBe('Users');
  });

  it('sorts the rows on screen by a column, ascending then descending, and says so with aria-sort', async () => {
    const wrapper = mountTable();
    const header = () => wrapper.findAll('th')[0]!;
    expect(header().attributes('aria-sort')).toBe('none');
    await header().find('button').trigger('click');
    expect(emails(wrapper)).toEqual(['ada@example.org', 'bob@example.org']);
    expect(header().attributes('aria-sort')).toBe('ascending');
    await header().find('button').trigger('click');
    expect(emails(wrapper)).toEqual(['bob@example.org', 'ada@example.org']);
    expect(header().attributes('aria-sort')).toBe('descending');
  });

  it('pages on the server: the pager moves the pagination state the page turns into variables', async () => {
    const wrapper = mountTable();
    expect(wrapper.find('nav').text()).toContain('1–2 of 60');
    const [previous, next] = wrapper.find('nav').findAll('button');
    expect(previous!.attributes('disabled')).toBeDefined();
    await next!.trigger('click');
    expect(wrapper.emitted('update:pagination')).toEqual([[{ pageIndex: 1, pageSize: 25 }]]);
  });

  it('offers column filters as selects and hands their value to the page', async () => {
    const wrapper = mountTable({ columnFilters: [] });
    const select = wrapper.find('select[name=status]');
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Any', 'running', 'stopped']);
    await select.setValue('STOPPED');
    expect(wrapper.emitted('update:columnFilters')).toEqual([[[{ id: 'status', value: 'STOPPED' }]]]);
  });

  it('has no pager when everything fits on one page', () => {
    expect(mountTable({ total: 2 }).find('nav').exists()).toBe(false);
  });
});
