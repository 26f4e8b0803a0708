import { mount, RouterLinkStub } from '@vue/test-utils';

import CompetitionList from '../src/components/CompetitionList.vue';
import type { CompetitionsQuery } from '../src/graphql/generated/graphql';

const titanic: CompetitionsQuery['competitions'][number] = {
  slug: 'titanic-survival',
  title: 'Titanic: who survived?',
  summary: 'Predict which passengers survived.',
  metric: 'ACCURACY' as const,
  leaderboard: { totalEntries: 1 },
};

describe('CompetitionList', () => {
  it('shows one card per competition with its metric and competitor count', () => {
    const wrapper = mount(CompetitionList, {
      global: { stubs: { RouterLink: RouterLinkStub } },
      props: {
        competitions: [
          titanic,
          { ...titanic, slug: 'rsna', title: 'RSNA', metric: 'MAP_IOU', leaderboard: { totalEntries: 12 } },
        ],
      },
    });
    const cards = wrapper.findAll('li.card');
    expect(cards).toHaveLength(2);
    expect(cards[0]!.text()).toContain('Titanic: who survived?');
    expect(cards[0]!.findComponent(RouterLinkStub).props('to')).toBe('/competitions/titanic-survival');
    expect(cards[0]!.text()).toContain('Accuracy · 1 competitor');
    expect(cards[1]!.text()).toContain('mAP @ IoU 0.40–0.75 · 12 competitors');
  });

  it('says so when no competition is open', () => {
    const wrapper = mount(CompetitionList, {
      global: { stubs: { RouterLink: RouterLinkStub } },
      props: { competitions: [] },
    });
    expect(wrapper.find('li').exists()).toBe(false);
    expect(wrapper.text()).toContain('No competitions are open.');
  });
});
