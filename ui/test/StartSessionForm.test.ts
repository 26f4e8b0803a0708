import { mount } from '@vue/test-utils';

import StartSessionForm from '../src/components/StartSessionForm.vue';

const packs = [
  { id: 'p1', name: 'medforge-dev', description: 'code-server, Python 3', isDefault: false },
  { id: 'p2', name: 'pytorch', description: 'CUDA 12, PyTorch', isDefault: true },
];

describe('StartSessionForm', () => {
  it('starts with the default pack and EXTERNAL, or the chosen ones', async () => {
    const wrapper = mount(StartSessionForm, { props: { packs, canUseInternal: true, busy: false, gpusFree: 3 } });
    expect((wrapper.find('select').element as HTMLSelectElement).value).toBe('p2');
    expect(wrapper.text()).toContain('CUDA 12, PyTorch');
    await wrapper.find('form').trigger('submit');
    await wrapper.find('select').setValue('p1');
    await wrapper.find('input[value=INTERNAL]').setValue(true);
    await wrapper.find('form').trigger('submit');
    await wrapper.find('input[name=name]').setValue('  nnunet-fold0 ');
    await wrapper.find('form').trigger('submit');
    expect(wrapper.emitted('start')).toEqual([
      [{ exposure: 'EXTERNAL', packId: 'p2', name: null, waitForGpu: true }],
      [{ exposure: 'INTERNAL', packId: 'p1', name: null, waitForGpu: true }],
      [{ exposure: 'INTERNAL', packId: 'p1', name: 'nnunet-fold0', waitForGpu: true }],
    ]);
    // The name is for one start: the form is empty again.
    expect((wrapper.find('input[name=name]').element as HTMLInputElement).value).toBe('');
  });

  it('offers INTERNAL only to entitled users, and says why', () => {
    const wrapper = mount(StartSessionForm, { props: { packs, canUseInternal: false, busy: false, gpusFree: 3 } });
    expect(wrapper.find('input[value=INTERNAL]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain("Internal sessions need an administrator's approval.");
  });

  it('waits for a GPU when none is free, or cannot start when the user would rather not wait', async () => {
    const noGpu = mount(StartSessionForm, { props: { packs, canUseInternal: false, busy: false, gpusFree: 0 } });
    expect(noGpu.text()).toContain('0 GPUs free');
    const submit = () => noGpu.find('button[type=submit]');
    expect(submit().text()).toBe('Wait for a GPU');
    expect(submit().attributes('disabled')).toBeUndefined();
    await noGpu.find('input[name=waitForGpu]').setValue(false);
    expect(submit().text()).toBe('Start a session');
    expect(submit().attributes('disabled')).toBeDefined();
  });

  it('cannot start while busy', () => {
    const busy = mount(StartSessionForm, { props: { packs, canUseInternal: false, busy: true, gpusFree: 2 } });
    expect(busy.find('button[type=submit]').attributes('disabled')).toBeDefined();
  });
});
