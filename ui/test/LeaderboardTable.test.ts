import { mount } from '@vue/test-utils';

import LeaderboardTable from '../src/components/LeaderboardTable.vue';

const entry = (rank: number, id: string, name: string, score: number) => ({
  rank,
  score,
  submissionId: `s-${id}`,
  user: { id, displayName: name },
});

describe('LeaderboardTable', () => {
  it("highlights the viewer's own row", () => {
    const wrapper = mount(LeaderboardTable, {
      props: { entries: [entry(1, 'u1', 'ada', 0.9), entry(2, 'u2', 'bob', 0.85)], myUserId: 'u2' },
    });
    const rows = wrapper.findAll('tbody tr');
    expect(rows[1]!.classes()).toContain('mine');
    expect(rows[1]!.attributes('aria-current')).toBe('true');
    expect(rows[1]!.text()).toContain('bob (you)');
    expect(rows[0]!.classes()).not.toContain('mine');
    expect(rows[0]!.text()).toContain('0.9000');
  });

  it('says so when nobody has a score yet', () => {
    expect(mount(LeaderboardTable, { props: { entries: [], myUserId: null } }).text()).toContain('No scores yet.');
  });
});
