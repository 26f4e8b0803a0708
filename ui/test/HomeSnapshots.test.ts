import { mount, type VueWrapper } from '@vue/test-utils';

import HomeSnapshots from '../src/components/HomeSnapshots.vue';
import type { SnapshotSummary } from '../src/composables/snapshots';

const snapshot: SnapshotSummary = {
  id: 's1',
  name: 'stop-1764748800000-k3n7qz2a',
  createdAt: '2026-12-03T08:00:00.000Z',
  reason: 'STOP',
  sizeBytes: 3 * 1024 * 1024,
  uniqueBytes: 512 * 1024,
  session: { id: 'x', slug: 'k3n7qz2a' },
};

const button = (wrapper: VueWrapper, text: string) => wrapper.findAll('button').find((b) => b.text() === text);

describe('HomeSnapshots', () => {
  it('lists each snapshot with its session, its size and what deleting it frees', () => {
    const lost = {
      ...snapshot,
      id: 's2',
      name: 'stop-1-aaaa2222',
      reason: 'LOST' as const,
      sizeBytes: null,
      session: null,
    };
    const wrapper = mount(HomeSnapshots, { props: { snapshots: [snapshot, lost], busy: false, homeInUse: false } });
    const row = wrapper.find('[data-snapshot="stop-1764748800000-k3n7qz2a"]');
    expect(row.text()).toContain('k3n7qz2a');
    expect(row.text()).toContain('3 MiB');
    expect(row.text()).toContain('512 KiB');
    const lostRow = wrapper.find('[data-snapshot="stop-1-aaaa2222"]');
    expect(lostRow.text()).toContain('session ended unexpectedly');
    expect(lostRow.text()).toContain('unknown');
  });

  it('deletes only after confirmation', async () => {
    const wrapper = mount(HomeSnapshots, {
      props: { snapshots: [snapshot], busy: false, homeInUse: false },
      attachTo: document.body,
    });
    await button(wrapper, 'Delete')!.trigger('click');
    expect(wrapper.find('dialog[open]').text()).toContain('cannot be brought back');
    expect(wrapper.emitted('delete')).toBeUndefined();
    await button(wrapper, 'Delete snapshot')!.trigger('click');
    expect(wrapper.emitted('delete')).toEqual([[snapshot]]);
    wrapper.unmount();
  });

  it('restores after confirmation, opens read-only at once, and holds restores while the home is in use', async () => {
    const wrapper = mount(HomeSnapshots, {
      props: { snapshots: [snapshot], busy: false, homeInUse: false },
      attachTo: document.body,
    });
    await button(wrapper, 'Open read-only')!.trigger('click');
    expect(wrapper.emitted('open')).toEqual([[snapshot]]);
    await button(wrapper, 'Restore')!.trigger('click');
    expect(wrapper.find('dialog[open]').text()).toContain('kept in a safety snapshot first');
    await button(wrapper, 'Restore my home')!.trigger('click');
    expect(wrapper.emitted('restore')).toEqual([[snapshot]]);
    await wrapper.setProps({ homeInUse: true });
    expect(button(wrapper, 'Restore')!.attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('Stop your active sessions to restore a snapshot.');
    wrapper.unmount();
  });

  it('explains where snapshots come from when there are none', () => {
    expect(mount(HomeSnapshots, { props: { snapshots: [], busy: false, homeInUse: false } }).text()).toContain(
      'each time a session stops',
    );
  });
});
