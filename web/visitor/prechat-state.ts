import { ref, shallowRef } from 'vue';
import type { ApiClient } from '../common/api';
import { ApiError, errorMessage } from '../common/errors';
import { operations as ops } from '../../client/operations';
import type { PrechatAnswersInput, PrechatForm } from '../../domain/prechat';

/** The visitor's pre-chat form (issue 19): whether one is due on the channel, and sending the answers. */
export function visitorPrechat(api: ApiClient) {
  const form = shallowRef<PrechatForm | null>(null);
  const prefill = ref<{ name: string | null; email: string | null }>({ name: null, email: null });
  const busy = ref(false);
  const error = ref<{ field: string | null; message: string } | null>(null);
  const savedName = ref<string | null>(null);

  return {
    form,
    prefill,
    busy,
    error,
    savedName,
    /** True when the visitor has a form to fill in before the conversation starts. */
    async load(channel: string | undefined): Promise<boolean> {
      const view = await api.rest.call(ops.getVisitorPrechat, { params: channel ? { channel } : undefined });
      form.value = view.skip ? null : view.form;
      prefill.value = view.prefill;
      return form.value !== null;
    },
    /** True once the server saved the answers. */
    async submit(channel: string | undefined, answers: Omit<PrechatAnswersInput, 'channel'>): Promise<boolean> {
      if (busy.value) return false;
      busy.value = true;
      error.value = null;
      try {
        const view = await api.rest.call(ops.submitVisitorPrechat, { body: { ...answers, ...(channel ? { channel } : {}) } });
        savedName.value = view.prefill.name;
        form.value = null;
        return true;
      } catch (err) {
        const field = err instanceof ApiError ? (err.field ?? null) : null;
        error.value = { field: field?.replace(/^body\./, '') ?? null, message: errorMessage(err) };
        return false;
      } finally {
        busy.value = false;
      }
    },
  };
}
