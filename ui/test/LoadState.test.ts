import { mount } from '@vue/test-utils';

import LoadState from '../src/components/LoadState.vue';

const render = (props: { loading: boolean; error: string | null; empty?: boolean; emptyText?: string }) =>
  mount(LoadState, { props, slots: { default: '<p class="content">rows</p>' } });

describe('LoadState', () => {
  it('shows loading, then the content', () => {
    expect(render({ loading: true, error: null }).find('[role=status]').text()).toBe('Loading…');
    expect(render({ loading: false, error: null }).find('.content').exists()).toBe(true);
  });

  it("shows the API's error text with a retry, in place of the content", async () => {
    const wrapper = render({ loading: false, error: 'Sign in first' });
    expect(wrapper.find('[role=alert]').text()).toContain('Sign in first');
    expect(wrapper.find('.content').exists()).toBe(false);
    await wrapper.find('button').trigger('click');
    expect(wrapper.emitted('retry')).toHaveLength(1);
  });

  it('says what is empty', () => {
    const wrapper = render({ loading: false, error: null, empty: true, emptyText: 'No GPUs in the inventory.' });
    expect(wrapper.text()).toBe('No GPUs in the inventory.');
  });
});
