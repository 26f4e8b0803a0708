import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';

import SshKeyList from '../src/components/SshKeyList.vue';
import type { SshKeySummary } from '../src/composables/ssh-keys';

const key: SshKeySummary = {
  id: 'k1',
  name: 'laptop',
  keyType: 'ssh-rsa',
  fingerprint: 'SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  bits: 4096,
  createdAt: '2026-12-03T08:00:00.000Z',
};
const button = (wrapper: VueWrapper, text: string) => wrapper.findAll('button').find((b) => b.text() === text);

describe('SshKeyList', () => {
  it('lists each key with its type, size and fingerprint', () => {
    const wrapper = mount(SshKeyList, { props: { keys: [key], busy: false, add: async () => true } });
    const row = wrapper.find(`[data-key="${key.fingerprint}"]`);
    expect(row.text()).toContain('laptop');
    expect(row.text()).toContain('ssh-rsa, 4096 bits');
    expect(row.find('code').text()).toBe(key.fingerprint);
  });

  it('adds a key with its name, clearing the form only when the key was taken', async () => {
    const calls: Array<[string, string]> = [];
    let accept = false;
    const add = async (name: string, publicKey: string) => (calls.push([name, publicKey]), accept);
    const wrapper = mount(SshKeyList, { props: { keys: [], busy: false, add } });
    expect(wrapper.text()).toContain('No keys yet');
    await wrapper.find('input[name=key-name]').setValue(' desktop ');
    await wrapper.find('textarea[name=public-key]').setValue('ssh-ed25519 AAAA me@desk\n');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(calls).toEqual([['desktop', 'ssh-ed25519 AAAA me@desk']]);
    // Refused (the API said why): what the user typed stays for them to fix.
    expect((wrapper.find('textarea[name=public-key]').element as HTMLTextAreaElement).value).not.toBe('');
    accept = true;
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect((wrapper.find('textarea[name=public-key]').element as HTMLTextAreaElement).value).toBe('');
  });

  it('deletes only after confirmation', async () => {
    const wrapper = mount(SshKeyList, {
      props: { keys: [key], busy: false, add: async () => true },
      attachTo: document.body,
    });
    await button(wrapper, 'Delete')!.trigger('click');
    expect(wrapper.emitted('delete')).toBeUndefined();
    await button(wrapper, 'Delete key')!.trigger('click');
    expect(wrapper.emitted('delete')).toEqual([[key]]);
    wrapper.unmount();
  });
});
