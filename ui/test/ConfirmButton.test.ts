import { mount } from '@vue/test-utils';

import ConfirmButton from '../src/components/ConfirmButton.vue';

describe('ConfirmButton', () => {
  it('acts only on the second, explicit press', async () => {
    const wrapper = mount(ConfirmButton, {
      props: { label: 'Disable', question: 'Disable ada@example.org?', confirmLabel: 'Yes, disable' },
    });
    await wrapper.find('button').trigger('click');
    expect(wrapper.find('[role=group]').attributes('aria-label')).toBe('Disable ada@example.org?');
    await wrapper.findAll('button')[1]!.trigger('click');
    expect(wrapper.emitted('confirm')).toBeUndefined();
    await wrapper.find('button').trigger('click');
    await wrapper.findAll('button')[0]!.trigger('click');
    expect(wrapper.emitted('confirm')).toHaveLength(1);
  });
});
