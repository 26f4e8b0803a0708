import { mount } from '@vue/test-utils';

import PastSessions from '../src/components/PastSessions.vue';
import { session } from './fixtures';

describe('PastSessions', () => {
  it('lists ended sessions with their snapshot, and the error text of failed ones', () => {
    const wrapper = mount(PastSessions, {
      props: {
        sessions: [
          {
            ...session,
            status: 'STOPPED',
            stoppedAt: '2026-11-22T11:00:00.000Z',
            snapshotName: 'tank/medforge/workspaces/u1/home@stop-1764748800000-k3n7qz2a',
          },
          {
            ...session,
            id: '2',
            slug: 'bbbbbbbb',
            status: 'ERROR',
            errorMessage: 'the container exited with code 137',
          },
        ],
      },
    });
    const stopped = wrapper.find('[data-session=k3n7qz2a]');
    expect(stopped.text()).toContain('STOPPED');
    expect(stopped.find('code.snapshot').text()).toBe('stop-1764748800000-k3n7qz2a');
    const failed = wrapper.find('[data-session=bbbbbbbb]');
    expect(failed.find('.error').text()).toBe('the container exited with code 137');
    expect(failed.text()).toContain('none');
  });

  it('says so when there are none', () => {
    expect(mount(PastSessions, { props: { sessions: [] } }).text()).toContain('No past sessions.');
  });
});
