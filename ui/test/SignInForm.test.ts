import { mount } from '@vue/test-utils';

import SignInForm from '../src/components/SignInForm.vue';

describe('SignInForm', () => {
  it('submits the credentials in the chosen mode', async () => {
    const wrapper = mount(SignInForm, { props: { busy: false, error: null } });
    await wrapper.find('input[name=email]').setValue('  ada@example.org ');
    await wrapper.find('input[name=password]').setValue('correct horse battery');
    await wrapper.find('form').trigger('submit');
    await wrapper.find('button.link').trigger('click');
    expect(wrapper.find('h1').text()).toBe('Create an account');
    await wrapper.find('form').trigger('submit');
    expect(wrapper.emitted('submit')).toEqual([
      [{ mode: 'signIn', email: 'ada@example.org', password: 'correct horse battery' }],
      [
        {
          mode: 'signUp',
          email: 'ada@example.org',
          password: 'correct horse battery',
          displayName: '',
          inviteToken: null,
        },
      ],
    ]);
  });

  it('opens on sign-up with an invitation, sending its secret and the public name', async () => {
    const wrapper = mount(SignInForm, { props: { busy: false, error: null, invite: 'secret-invite' } });
    expect(wrapper.find('h1').text()).toBe('Create an account');
    expect(wrapper.text()).toContain('You were invited');
    await wrapper.find('input[name=email]').setValue('grace@example.org');
    await wrapper.find('input[name=password]').setValue('correct horse battery');
    await wrapper.find('input[name=display-name]').setValue('Grace H.');
    await wrapper.find('form').trigger('submit');
    expect(wrapper.emitted('submit')![0]![0]).toMatchObject({
      mode: 'signUp',
      displayName: 'Grace H.',
      inviteToken: 'secret-invite',
    });
  });

  it('says sign-up is by invitation instead of offering it, when it is', () => {
    const wrapper = mount(SignInForm, { props: { busy: false, error: null, inviteOnly: true } });
    expect(wrapper.text()).toContain('Sign-up is by invitation');
    expect(wrapper.find('button.link').exists()).toBe(false);
  });

  it("shows the API's error text and disables the button while busy", () => {
    const wrapper = mount(SignInForm, { props: { busy: true, error: 'Email or password is incorrect' } });
    expect(wrapper.find('[role=alert]').text()).toBe('Email or password is incorrect');
    expect(wrapper.find('button[type=submit]').attributes('disabled')).toBeDefined();
  });
});
