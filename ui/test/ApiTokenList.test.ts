import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';

import ApiTokenList from '../src/components/ApiTokenList.vue';
import type { ApiTokenSummary, NewApiToken } from '../src/composables/api-tokens';

const token: ApiTokenSummary = {
  id: 't1',
  name: 'laptop CLI',
  prefix: 'mf_pat_AbCd',
  scopes: ['READ', 'SUBMIT'],
  sessionId: null,
  expiresAt: null,
  lastUsedAt: null,
  createdAt: '2026-12-03T08:00:00.000Z',
};
const button = (wrapper: VueWrapper, text: string) => wrapper.findAll('button').find((b) => b.text() === text);
const props = (overrides: Record<string, unknown> = {}) => ({
  tokens: [token],
  busy: false,
  isAdmin: false,
  created: null,
  create: async () => true,
  ...overrides,
});

describe('ApiTokenList', () => {
  it('lists each token by name, prefix and scopes, never with its secret', () => {
    const wrapper = mount(ApiTokenList, { props: props() });
    const row = wrapper.find('[data-token-id="t1"]');
    expect(row.text()).toContain('laptop CLI');
    expect(row.text()).toContain('mf_pat_AbCd…');
    expect(row.text()).toContain('read, submit');
    expect(row.text()).toContain('never');
    expect(row.text()).toContain('not yet');
  });

  it('offers the ADMIN scope to administrators only', () => {
    const scopesOf = (wrapper: VueWrapper) => wrapper.findAll('input[name=scopes]').map((i) => i.attributes('value'));
    expect(scopesOf(mount(ApiTokenList, { props: props() }))).toEqual(['READ', 'SUBMIT', 'SESSIONS']);
    expect(scopesOf(mount(ApiTokenList, { props: props({ isAdmin: true }) }))).toContain('ADMIN');
  });

  it('creates a token with the chosen name, scopes and expiry, clearing the form only when created', async () => {
    const calls: NewApiToken[] = [];
    let accept = false;
    const create = async (input: NewApiToken) => (calls.push(input), accept);
    const wrapper = mount(ApiTokenList, { props: props({ tokens: [], create }) });
    expect(wrapper.text()).toContain('No API tokens');
    await wrapper.find('input[name=token-name]').setValue(' nightly job ');
    await wrapper.find('input[value=SUBMIT]').setValue(true);
    await wrapper.find('select[name=expires]').setValue('30');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(calls).toEqual([{ name: 'nightly job', scopes: ['READ', 'SUBMIT'], expiresInDays: 30 }]);
    expect((wrapper.find('input[name=token-name]').element as HTMLInputElement).value).toBe(' nightly job ');
    accept = true;
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect((wrapper.find('input[name=token-name]').element as HTMLInputElement).value).toBe('');
  });

  it('shows a new secret once, until dismissed', async () => {
    const secret = `mf_pat_${'x'.repeat(43)}`;
    const wrapper = mount(ApiTokenList, { props: props({ created: { name: 'laptop CLI', token: secret } }) });
    expect(wrapper.find('[data-token]').text()).toBe(secret);
    expect(wrapper.text()).toContain('it is not shown again');
    await button(wrapper, 'Done')!.trigger('click');
    expect(wrapper.emitted('dismiss')).toHaveLength(1);
  });

  it('revokes only after confirmation', async () => {
    const wrapper = mount(ApiTokenList, { props: props(), attachTo: document.body });
    await button(wrapper, 'Revoke')!.trigger('click');
    expect(wrapper.emitted('revoke')).toBeUndefined();
    const confirm = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Revoke token');
    confirm!.click();
    await flushPromises();
    expect(wrapper.emitted('revoke')).toEqual([[token]]);
    wrapper.unmount();
  });
});
