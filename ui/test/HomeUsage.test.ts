import { mount } from '@vue/test-utils';

import HomeUsage from '../src/components/HomeUsage.vue';

const GIB = 1024 ** 3;

describe('HomeUsage', () => {
  it('says how full the home is, and warns from 90 %', () => {
    const fine = mount(HomeUsage, {
      props: { usage: { usedBytes: 20 * GIB, quotaBytes: 50 * GIB, nearlyFull: false } },
    });
    expect(fine.find('[data-home-usage]').text()).toContain('Your home holds 20 GiB of 50 GiB (40 %)');
    expect(fine.find('[role=alert]').exists()).toBe(false);
    const full = mount(HomeUsage, {
      props: { usage: { usedBytes: 46 * GIB, quotaBytes: 50 * GIB, nearlyFull: true } },
    });
    expect(full.find('[role=alert]').text()).toMatch(/^Your home is 92 % full: .*Disk quota exceeded/);
  });

  it('shows no quota where there is none, and nothing before the home exists', () => {
    const open = mount(HomeUsage, { props: { usage: { usedBytes: 1024, quotaBytes: null, nearlyFull: false } } });
    expect(open.text()).toBe('Your home holds 1 KiB');
    expect(mount(HomeUsage, { props: { usage: null } }).text()).toBe('');
  });
});
