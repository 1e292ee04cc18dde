import { ref, type UnwrapNestedRefs } from 'vue';
import type { ApiClient } from '../common/api';
import { errorMessage } from '../common/errors';
import { currentLocale } from '../common/i18n';
import { operations as ops } from '../../client/operations';

/** The visitor's transcript (issue 19): downloaded as a text file, or e-mailed when the desk has SMTP set up. */
export function visitorTranscript(api: ApiClient, conversationId: () => string | null) {
  const emailAvailable = ref(false);
  const busy = ref<'download' | 'email' | null>(null);
  const error = ref<string | null>(null);
  const sentTo = ref<string | null>(null);
  let checked = false;

  return {
    emailAvailable,
    busy,
    error,
    sentTo,
    async checkEmail() {
      if (checked) return;
      checked = true;
      emailAvailable.value = await api.rest.call(ops.getTranscriptEmailAvailability).then((r) => r.available, () => false);
    },
    /** Fetches the text with the visitor's token and hands it to the browser as a file. */
    async download() {
      const id = conversationId();
      if (!id || busy.value) return;
      busy.value = 'download';
      error.value = null;
      try {
        const text = await api.rest.call(ops.downloadTranscript, { params: { id, locale: currentLocale() } });
        const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `transcript-${id}.txt`;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      } catch (err) {
        error.value = errorMessage(err);
      } finally {
        busy.value = null;
      }
    },
    async email(to: string): Promise<boolean> {
      const id = conversationId();
      if (!id || busy.value) return false;
      busy.value = 'email';
      error.value = null;
      sentTo.value = null;
      try {
        const body = { ...(to.trim() ? { to: to.trim() } : {}), locale: currentLocale() };
        sentTo.value = (await api.rest.call(ops.emailTranscript, { params: { id }, body })).sentTo;
        return true;
      } catch (err) {
        error.value = errorMessage(err);
        return false;
      } finally {
        busy.value = null;
      }
    },
  };
}

/** As the store exposes it (pinia unwraps the refs). */
export type VisitorTranscript = UnwrapNestedRefs<ReturnType<typeof visitorTranscript>>;
