import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import { operations as ops } from '../../../client/operations';
import { errorMessage } from '../../common/errors';
import type { Wallboard, WallboardSettings } from '../../../domain/wallboard';
import { useConversationsStore } from './conversations';
import { useSessionStore } from './session';

/** Issue 21: the live wallboard: one read on open (and on reconnect), then the admins' `wallboard` pushes. */
export const useWallboardStore = defineStore('admin-wallboard', () => {
  const session = useSessionStore();
  const live = useConversationsStore();
  const fetched = shallowRef<Wallboard | null>(null);
  const error = ref<string | null>(null);
  const settings = ref<WallboardSettings | null>(null);

  /** The newer of the fetched board and the last pushed one. */
  const board = computed<Wallboard | null>(() => {
    const a = fetched.value;
    const b = live.wallboard;
    if (!a || !b) return a ?? b;
    return b.generatedAt >= a.generatedAt ? b : a;
  });
  const stale = computed(() => live.connection !== 'connected');

  async function load() {
    try {
      fetched.value = await session.api.rest.call(ops.getWallboard);
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    }
  }
  async function loadSettings() {
    settings.value = await session.api.rest.call(ops.getWallboardSettings).catch(() => null);
  }
  async function saveSettings(patch: Partial<WallboardSettings>) {
    settings.value = await session.api.rest.call(ops.updateWallboardSettings, { body: patch });
    await load();
  }
  return { board, error, stale, settings, load, loadSettings, saveSettings };
});
