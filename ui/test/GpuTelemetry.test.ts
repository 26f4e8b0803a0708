import { mount } from '@vue/test-utils';
import type * as Vue from 'vue';

import GpuTelemetry from '../src/components/GpuTelemetry.vue';

const reading = (utilizationPercent: number) => ({
  at: '2026-12-03T08:00:00.000Z',
  utilizationPercent,
  memoryUsedMib: 61234,
  memoryTotalMib: 81559,
  temperatureC: 64,
  powerW: 412.56,
});

// jsdom has no canvas: the chart itself is Chart.js's; what the component renders around it is tested.
jest.mock('vue-chartjs', () => {
  const { defineComponent, h } = jest.requireActual<typeof Vue>('vue');
  return { Line: defineComponent({ render: () => h('canvas') }) };
});

describe('GpuTelemetry', () => {
  it('shows the latest reading and labels the utilisation sparkline for screen readers', () => {
    const gpu = { index: 3, isVirtual: false, telemetry: [reading(20), reading(87)] };
    const wrapper = mount(GpuTelemetry, { props: { gpu } });
    expect(wrapper.text()).toContain('GPU 3: 87 % · 59.8 / 79.6 GiB · 64 °C · 413 W');
    expect(wrapper.find('[role=img]').attributes('aria-label')).toBe(
      'GPU utilisation over the last 2 readings, now 87 %',
    );
  });

  it('leaves out what the GPU does not report, and says when a GPU is virtual', () => {
    const partial = { index: 0, isVirtual: false, telemetry: [{ ...reading(5), powerW: null, temperatureC: null }] };
    expect(mount(GpuTelemetry, { props: { gpu: partial } }).text()).toBe('GPU 0: 5 % · 59.8 / 79.6 GiB');
    const virtual = { index: 1, isVirtual: true, telemetry: null };
    expect(mount(GpuTelemetry, { props: { gpu: virtual } }).text()).toBe('GPU 1: virtual, no telemetry');
  });
});
