import { flushPromises, mount } from '@vue/test-utils';

import SessionList from '../src/components/SessionList.vue';
import type { SessionSummary } from '../src/composables/sessions';
import { session } from './fixtures';

const props = (sessions: SessionSummary[]) => ({
  sessions,
  busy: false,
  sessionDomain: 'medforge.example.org',
  sshHost: 'medforge.example.org',
});
const button = (wrapper: ReturnType<typeof mount>, text: string) =>
  wrapper.findAll('button').find((b) => b.text() === text);

describe('SessionList', () => {
  it('links a running session to its host in a new tab and shows its pack, GPU and SSH command', () => {
    const wrapper = mount(SessionList, { props: props([session]) });
    const link = wrapper.find('a');
    expect(link.attributes('href')).toBe('http://s-k3n7qz2a.external.medforge.example.org/');
    expect(link.attributes('target')).toBe('_blank');
    expect(wrapper.find('code.ssh').text()).toBe('ssh -p 10042 coder@medforge.example.org');
    expect(wrapper.text()).toContain('external · medforge-dev · GPU 3');
    expect(wrapper.text()).toContain('4 CPUs · 16 GiB · /dev/shm 2 GiB');
  });

  it('says so where a session has no CPU or memory limit', () => {
    const unlimited = { ...session, limits: { cpus: null, memoryMib: null, shmMib: 4096 } };
    expect(mount(SessionList, { props: props([unlimited]) }).text()).toContain(
      'all CPUs · host memory · /dev/shm 4 GiB',
    );
  });

  it('copies the SSH command, and the SSH config entry', async () => {
    // jsdom has no asynchronous clipboard: the browser API as a page sees it, permission query included
    // (rejected for clipboard-write, as Firefox does).
    const written: string[] = [];
    class ClipboardItem {
      constructor(readonly items: Record<string, string>) {}
    }
    Object.assign(window, { ClipboardItem });
    Object.assign(navigator, {
      clipboard: {
        write: jest.fn(async (items: ClipboardItem[]) => void written.push(items[0]!.items['text/plain']!)),
      },
      permissions: { query: () => Promise.reject(new TypeError('clipboard-write is not a valid permission name')) },
    });
    const sshConfig = 'Host medforge-k3n7qz2a\n  HostName medforge.example.org\n  Port 10042\n';
    const wrapper = mount(SessionList, { props: props([{ ...session, sshConfig }]) });
    await flushPromises();
    await button(wrapper, 'Copy')!.trigger('click');
    await flushPromises();
    expect(written).toEqual(['ssh -p 10042 coder@medforge.example.org']);
    expect(button(wrapper, 'Copied')).toBeDefined();
    await button(wrapper, 'Copy SSH config')!.trigger('click');
    await flushPromises();
    expect(written[1]).toBe(sshConfig);
  });

  it('asks before stopping, and stops only on confirmation', async () => {
    const wrapper = mount(SessionList, { props: props([session]), attachTo: document.body });
    await button(wrapper, 'Stop')!.trigger('click');
    expect(wrapper.find('dialog[open]').text()).toContain('Stop and snapshot the workspace?');
    // The question takes the focus, and Escape (the dialog's cancel) backs out of it, focus back on Stop.
    expect(document.activeElement?.textContent?.trim()).toBe('Yes, stop');
    await wrapper.find('dialog').trigger('cancel');
    expect(wrapper.emitted('stop')).toBeUndefined();
    expect(wrapper.find('dialog[open]').exists()).toBe(false);
    expect(document.activeElement?.textContent).toBe('Stop');
    await button(wrapper, 'Stop')!.trigger('click');
    await button(wrapper, 'Yes, stop')!.trigger('click');
    expect(wrapper.emitted('stop')).toEqual([['1']]);
    wrapper.unmount();
  });

  it('shows progress while starting and stopping, with no stop button while stopping', () => {
    const wrapper = mount(SessionList, {
      props: props([
        {
          ...session,
          id: '2',
          slug: 'aaaaaaaa',
          status: 'STARTING',
          startPhase: 'CONTAINER',
          createdAt: new Date(Date.now() - 3_000).toISOString(),
        },
        { ...session, id: '3', slug: 'bbbbbbbb', status: 'STOPPING' },
      ]),
    });
    // The phase a start is in, with the time it has taken so far.
    expect(wrapper.find('[data-session=aaaaaaaa]').text()).toMatch(/starting the container… \([34] s\)/);
    expect(wrapper.find('[data-session=bbbbbbbb]').text()).toContain('stopping and snapshotting your home…');
    expect(wrapper.find('[data-session=bbbbbbbb] button').exists()).toBe(false);
    expect(wrapper.find('a').exists()).toBe(false);
  });

  it('warns of a coming idle or maximum-runtime stop, saying what to do, with Keep running', async () => {
    const idle = { ...session, stopScheduledAt: '2026-12-03T15:00:00.000Z', stopScheduledReason: 'IDLE' as const };
    const wrapper = mount(SessionList, { props: props([idle]) });
    const warning = wrapper.find('[role=alert].warning');
    expect(warning.text()).toContain('idle: no workbench, SSH, GPU or CPU activity');
    expect(warning.text()).toContain('the workbench, SSH, a running job all count');
    await warning.find('button').trigger('click');
    expect(wrapper.emitted('keepAlive')).toEqual([['1']]);
    const capped = { ...idle, stopScheduledReason: 'MAX_RUNTIME' as const };
    expect(
      mount(SessionList, { props: props([capped]) })
        .find('[role=alert]')
        .text(),
    ).toContain('maximum runtime reached');
  });

  it('tells the whole story of a running session: its name, why it is in use, when it would stop', () => {
    const soon = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const busy = {
      ...session,
      name: 'nnunet-fold0',
      activityReason: 'GPU 87 %',
      lastActivityAt: new Date(Date.now() - 2 * 60_000).toISOString(),
      idleStopAt: soon(118),
      maxRuntimeStopAt: '2026-12-06T10:00:00.000Z',
    };
    const card = mount(SessionList, { props: props([busy]) }).find('[data-session=k3n7qz2a]');
    expect(card.find('.name').text()).toBe('nnunet-fold0');
    expect(card.text()).toContain('In use: GPU 87 % · 2 min ago');
    expect(card.text()).toMatch(/idle stop in 1 h 5[78] min unless in use · runtime ends /);
    const kept = mount(SessionList, { props: props([{ ...busy, keepAliveUntil: soon(300) }]) });
    expect(kept.text()).toMatch(/kept running until .* · runtime ends/);
  });

  it('says an internal session has no outside SSH port', () => {
    const wrapper = mount(SessionList, { props: props([{ ...session, exposure: 'INTERNAL', sshPort: null }]) });
    expect(wrapper.find('a').attributes('href')).toBe('http://s-k3n7qz2a.internal.medforge.example.org/');
    expect(wrapper.text()).toContain('SSH from the host only (internal session)');
  });

  it("says a coming stop for someone else's reservation cannot be kept off", () => {
    const warned = {
      ...session,
      stopScheduledAt: '2026-11-22T12:00:00.000Z',
      stopScheduledReason: 'RESERVATION' as const,
    };
    const wrapper = mount(SessionList, { props: props([warned]) });
    expect(wrapper.find('[role=alert]').text()).toContain('Its GPU is reserved for someone else from then');
    expect(button(wrapper, 'Keep running')).toBeUndefined();
  });

  it('shows a waiting session its place and expected start, with a way out of the queue', async () => {
    const queued = {
      ...session,
      status: 'QUEUED' as const,
      sshPort: null,
      gpu: null,
      limits: null,
      startedAt: null,
      queuedAt: '2026-11-22T10:00:00.000Z',
      queuePosition: 2,
      estimatedStartAt: new Date(Date.now() + 25 * 60_000 + 20_000).toISOString(),
    };
    const wrapper = mount(SessionList, { props: { sessions: [queued], busy: false } });
    expect(wrapper.text()).toMatch(/Waiting for a GPU: 2nd in line, expected in 25 min \(around .+\)/);
    expect(wrapper.text()).not.toContain('GPU 3');
    expect(wrapper.find('a').exists()).toBe(false);
    await wrapper.find('button').trigger('click');
    expect(wrapper.find('button').text()).toBe('Leave the queue');
    expect(wrapper.emitted('stop')).toEqual([[queued.id]]);
  });

  it('says so when there are no active sessions', () => {
    expect(mount(SessionList, { props: props([]) }).text()).toContain('No active sessions.');
  });
});
