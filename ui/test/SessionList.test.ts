import { mount } from '@vue/test-utils';

import SessionList from '../src/components/SessionList.vue';
import type { SessionSummary } from '../src/sessions';

const base: SessionSummary = {
  id: '1',
  slug: 'k3n7qz2a',
  exposure: 'EXTERNAL',
  status: 'RUNNING',
  sshPort: 10042,
  errorMessage: null,
  createdAt: '2026-11-22T10:00:00.000Z',
};
const props = (sessions: SessionSummary[]) => ({
  sessions,
  busy: false,
  error: null,
  sessionDomain: 'medforge.example.org',
  sshHost: 'medforge.example.org',
});

describe('SessionList', () => {
  it('links a running session to its host and shows the SSH command', () => {
    const wrapper = mount(SessionList, { props: props([base]) });
    const link = wrapper.find('a');
    expect(link.attributes('href')).toBe('http://s-k3n7qz2a.external.medforge.example.org/');
    expect(link.attributes('target')).toBe('_blank');
    expect(wrapper.find('code.ssh').text()).toBe('ssh -p 10042 coder@medforge.example.org');
  });

  it('asks before stopping, and stops only on confirmation', async () => {
    const wrapper = mount(SessionList, { props: props([base]) });
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Stop')!
      .trigger('click');
    expect(wrapper.text()).toContain('Stop and snapshot the workspace?');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Keep running')!
      .trigger('click');
    expect(wrapper.emitted('stop')).toBeUndefined();
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Stop')!
      .trigger('click');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Yes, stop')!
      .trigger('click');
    expect(wrapper.emitted('stop')).toEqual([['1']]);
  });

  it('shows progress, the error text, and no actions for finished sessions', () => {
    const wrapper = mount(SessionList, {
      props: props([
        { ...base, id: '2', slug: 'aaaaaaaa', status: 'STARTING' },
        { ...base, id: '3', slug: 'bbbbbbbb', status: 'ERROR', errorMessage: 'the container exited with code 137' },
        { ...base, id: '4', slug: 'cccccccc', status: 'STOPPED' },
      ]),
    });
    expect(wrapper.find('[data-session=aaaaaaaa]').text()).toContain('starting code-server…');
    expect(wrapper.find('[data-session=bbbbbbbb]').text()).toContain('the container exited with code 137');
    expect(wrapper.find('[data-session=cccccccc] button').exists()).toBe(false);
    expect(wrapper.find('a').exists()).toBe(false);
  });

  it('says so when there are no sessions, and starts one on request', async () => {
    const wrapper = mount(SessionList, { props: props([]) });
    expect(wrapper.text()).toContain('No sessions yet.');
    await wrapper.find('button').trigger('click');
    expect(wrapper.emitted('start')).toHaveLength(1);
  });
});
