import { mount } from '@vue/test-utils';

import ConfirmButton from '../src/components/ConfirmButton.vue';

describe('ConfirmButton', () => {
  const props = { label: 'Disable', question: 'Disable ada@example.org?', confirmLabel: 'Yes, disable' };
  const dialogOf = (wrapper: ReturnType<typeof mount>) => wrapper.find('dialog').element as HTMLDialogElement;
  const buttonIn = (wrapper: ReturnType<typeof mount>, text: string) =>
    wrapper
      .find('dialog')
      .findAll('button')
      .find((b) => b.text() === text)!;

  it('asks in a modal dialog, and acts only on its explicit confirmation', async () => {
    const wrapper = mount(ConfirmButton, { props, attachTo: document.body });
    expect(dialogOf(wrapper).open).toBe(false);
    await wrapper.find('button.danger').trigger('click');
    expect(dialogOf(wrapper).open).toBe(true);
    expect(wrapper.find('dialog').attributes('aria-label')).toBe('Disable ada@example.org?');
    expect(document.activeElement?.textContent?.trim()).toBe('Yes, disable');

    await buttonIn(wrapper, 'Cancel').trigger('click');
    expect(dialogOf(wrapper).open).toBe(false);
    expect(wrapper.emitted('confirm')).toBeUndefined();

    await wrapper.find('button.danger').trigger('click');
    await buttonIn(wrapper, 'Yes, disable').trigger('click');
    expect(wrapper.emitted('confirm')).toHaveLength(1);
    expect(dialogOf(wrapper).open).toBe(false);
    wrapper.unmount();
  });

  it('backs out on Escape (the dialog cancel event)', async () => {
    const wrapper = mount(ConfirmButton, { props, attachTo: document.body });
    await wrapper.find('button.danger').trigger('click');
    await wrapper.find('dialog').trigger('cancel');
    expect(dialogOf(wrapper).open).toBe(false);
    expect(wrapper.emitted('confirm')).toBeUndefined();
    expect(document.activeElement).toBe(wrapper.find('button.danger').element);
    wrapper.unmount();
  });
});
