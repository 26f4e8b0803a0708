import { type Ref, ref } from 'vue';

export interface Toast {
  id: number;
  text: string;
  tone: 'ok' | 'error';
}

export interface Toasts {
  list: Ref<Toast[]>;
  /** Tells the outcome of something that finished after the click (a session running, a file scored). */
  show(text: string, tone?: Toast['tone']): void;
  dismiss(id: number): void;
}

const SHOWN_MS = 8_000;

/** The console's toasts: shown in an aria-live region (ToastRegion.vue), each for a few seconds. */
export function createToasts(): Toasts {
  const list = ref<Toast[]>([]);
  let next = 1;
  const dismiss = (id: number) => (list.value = list.value.filter((toast) => toast.id !== id));
  return {
    list,
    dismiss,
    show(text, tone = 'ok') {
      const id = next++;
      list.value = [...list.value, { id, text, tone }];
      setTimeout(() => dismiss(id), SHOWN_MS);
    },
  };
}
