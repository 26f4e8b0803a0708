import { flushPromises, mount } from '@vue/test-utils';

import AccountSettings from '../src/components/AccountSettings.vue';

describe('AccountSettings', () => {
  const mountWith = (changePassword: (current: string, next: string) => Promise<boolean>) => {
    const renamed: string[] = [];
    const wrapper = mount(AccountSettings, {
      props: {
        displayName: 'participant-3fa9c1',
        busy: false,
        rename: async (name: string) => (renamed.push(name), true),
        changePassword,
      },
    });
    return { wrapper, renamed };
  };

  it('saves a new public name, only when it changed', async () => {
    const { wrapper, renamed } = mountWith(async () => true);
    const save = wrapper.findAll('button').find((b) => b.text() === 'Save name')!;
    expect(save.attributes('disabled')).toBeDefined();
    await wrapper.find('input[name=display-name]').setValue(' Ada L. ');
    expect(save.attributes('disabled')).toBeUndefined();
    await wrapper.findAll('form')[0]!.trigger('submit');
    expect(renamed).toEqual(['Ada L.']);
  });

  it('changes the password, clearing the fields only when it was changed', async () => {
    let accept = false;
    const calls: Array<[string, string]> = [];
    const { wrapper } = mountWith(async (current, next) => (calls.push([current, next]), accept));
    await wrapper.find('input[name=current-password]').setValue('old password here');
    await wrapper.find('input[name=new-password]').setValue('a brand new passphrase');
    await wrapper.findAll('form')[1]!.trigger('submit');
    await flushPromises();
    expect(calls).toEqual([['old password here', 'a brand new passphrase']]);
    expect((wrapper.find('input[name=current-password]').element as HTMLInputElement).value).toBe('old password here');
    accept = true;
    await wrapper.findAll('form')[1]!.trigger('submit');
    await flushPromises();
    expect((wrapper.find('input[name=current-password]').element as HTMLInputElement).value).toBe('');
  });
});
