import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';

import SubmissionUpload from '../src/components/SubmissionUpload.vue';

describe('SubmissionUpload', () => {
  it('hands over a dropped file', async () => {
    const wrapper = mount(SubmissionUpload, { props: { busy: false, progress: null, message: null, failed: false } });
    const file = new File(['PassengerId,Survived\n'], 'preds.csv', { type: 'text/csv' });
    await nextTick(); // the drop zone listens from the first render on
    // What a browser's DataTransfer holds for one dropped file.
    const dataTransfer = { files: [file], items: [{ kind: 'file', type: file.type }], dropEffect: 'none' };
    await wrapper.find('.drop').trigger('dragenter', { dataTransfer });
    expect(wrapper.find('.drop').classes()).toContain('dragging');
    await wrapper.find('.drop').trigger('drop', { dataTransfer });
    expect(wrapper.emitted('file')).toEqual([[file]]);
  });

  it("shows progress while uploading and the API's refusal as an alert", () => {
    const uploading = mount(SubmissionUpload, { props: { busy: true, progress: 0.4, message: null, failed: false } });
    expect(uploading.find('progress').attributes('value')).toBe('0.4');
    expect(uploading.find('input').attributes('disabled')).toBeDefined();
    const refused = mount(SubmissionUpload, {
      props: {
        busy: false,
        progress: null,
        message: 'The file is 1048577 bytes; titanic-survival accepts at most 1048576',
        failed: true,
      },
    });
    expect(refused.find('[role=alert]').text()).toContain('accepts at most 1048576');
  });
});
