import { useColorMode } from '@vueuse/core';
import { computed } from 'vue';

export type Theme = 'system' | 'light' | 'dark';

/**
 * Light, dark, or the system's choice, remembered in this browser: `data-theme` on <html> always holds the
 * mode in force (the system's, when the choice is 'system'), which styles.css keys its colours on.
 */
export function useTheme() {
  const mode = useColorMode({ attribute: 'data-theme', storageKey: 'medforge.theme', emitAuto: true });
  return computed<Theme>({
    get: () => (mode.value === 'auto' ? 'system' : (mode.value as 'light' | 'dark')),
    set: (theme) => (mode.value = theme === 'system' ? 'auto' : theme),
  });
}
