import { ref, watchEffect } from 'vue';

export type Theme = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'medforge.theme';

/** Light, dark, or the system's choice; remembered in this browser. */
export function useTheme() {
  const stored = localStorage.getItem(STORAGE_KEY);
  const theme = ref<Theme>(stored === 'light' || stored === 'dark' ? stored : 'system');
  watchEffect(() => {
    if (theme.value === 'system') {
      delete document.documentElement.dataset['theme'];
      localStorage.removeItem(STORAGE_KEY);
    } else {
      document.documentElement.dataset['theme'] = theme.value;
      localStorage.setItem(STORAGE_KEY, theme.value);
    }
  });
  return theme;
}
