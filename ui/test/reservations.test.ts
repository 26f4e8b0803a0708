import { mount } from '@vue/test-utils';

import ReservationForm from '../src/components/ReservationForm.vue';
import ReservationList from '../src/components/ReservationList.vue';
import { gpuName, windowFrom } from '../src/lib/reservations';

describe('reservation words', () => {
  it('names the GPU, and reads a window from the form, saying what is wrong with it', () => {
    expect(gpuName(3)).toBe('GPU 3');
    expect(gpuName(null)).toBe('any GPU');
    expect(windowFrom('', '2026-12-10T12:00')).toEqual({ error: 'Choose when it starts' });
    expect(windowFrom('2026-12-10T12:00', '')).toEqual({ error: 'Choose when it ends' });
    expect(windowFrom('2026-12-10T12:00', '2026-12-10T11:00')).toEqual({ error: 'It must end after it starts' });
    const ok = windowFrom('2026-12-10T09:00', '2026-12-10T12:00');
    expect('startsAt' in ok && Date.parse(ok.endsAt) - Date.parse(ok.startsAt)).toBe(3 * 3_600_000);
  });
});

describe('ReservationForm', () => {
  it('asks for a GPU over a window, or for any GPU', async () => {
    const wrapper = mount(ReservationForm, { props: { busy: false, gpuIndexes: [0, 1, 2] } });
    expect(wrapper.find('input[name=emails]').exists()).toBe(false);
    await wrapper.find('form').trigger('submit');
    expect(wrapper.text()).toContain('Choose when it starts');
    await wrapper.find('select').setValue('2');
    await wrapper.find('input[name=startsAt]').setValue('2026-12-10T09:00');
    await wrapper.find('input[name=endsAt]').setValue('2026-12-10T12:00');
    await wrapper.find('input[name=note]').setValue(' MICCAI ');
    await wrapper.find('form').trigger('submit');
    const value = wrapper.emitted('submit')?.[0]?.[0];
    expect(value).toMatchObject({ gpuIndex: 2, note: 'MICCAI', emails: [] });
  });

  it('needs the users for an administrator’s booking, by email', async () => {
    const wrapper = mount(ReservationForm, { props: { busy: false, gpuIndexes: [0], forUsers: true } });
    await wrapper.find('input[name=startsAt]').setValue('2026-12-10T09:00');
    await wrapper.find('input[name=endsAt]').setValue('2026-12-10T12:00');
    await wrapper.find('form').trigger('submit');
    expect(wrapper.text()).toContain('Name at least one user by email');
    await wrapper.find('input[name=emails]').setValue('ada@example.org, bob@example.org');
    await wrapper.find('form').trigger('submit');
    const value = wrapper.emitted('submit')?.[0]?.[0];
    expect(value).toMatchObject({ gpuIndex: null, emails: ['ada@example.org', 'bob@example.org'] });
  });
});

describe('ReservationList', () => {
  const base = {
    id: 'r1',
    gpuIndex: 1,
    startsAt: '2026-12-10T09:00:00.000Z',
    endsAt: '2026-12-10T12:00:00.000Z',
    note: 'course week 3',
    users: [{ id: 'u1', displayName: 'Ada', email: 'ada@example.org' }],
    requestedBy: { id: 'u1' },
  };

  it('lets an administrator decide a request, and cancel what has not ended', async () => {
    const wrapper = mount(ReservationList, {
      props: {
        reservations: [{ ...base, status: 'REQUESTED' as const }],
        busy: false,
        canDecide: true,
        canCancel: () => true,
      },
    });
    expect(wrapper.text()).toContain('GPU 1');
    expect(wrapper.text()).toContain('awaiting an administrator');
    expect(wrapper.text()).toContain('for ada@example.org');
    const buttons = wrapper.findAll('button');
    expect(buttons.map((b) => b.text())).toEqual(['Approve', 'Reject', 'Cancel']);
    await buttons[0]!.trigger('click');
    await buttons[2]!.trigger('click');
    expect(wrapper.emitted('decide')).toEqual([['r1', true]]);
    expect(wrapper.emitted('cancel')).toEqual([['r1']]);
  });

  it('offers nothing to do with a rejected one, and no decision to a user', () => {
    const wrapper = mount(ReservationList, {
      props: {
        reservations: [
          { ...base, status: 'REJECTED' as const },
          { ...base, id: 'r2', status: 'REQUESTED' as const },
        ],
        busy: false,
        canCancel: () => true,
      },
    });
    expect(wrapper.findAll('button').map((b) => b.text())).toEqual(['Cancel']);
  });
});
