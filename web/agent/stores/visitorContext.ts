import { ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { useConversationsStore } from './conversations';
import { visitorContextApi } from '../../common/api';
import { ApiError, errorMessage } from '../../common/errors';
import type { VisitorContextChangedEvent } from '../../../domain/contracts/events';
import type { VisitorContextView, VisitorProfilePatch } from '../../../domain/visitor-context';

/**
 * The side panel's data for the conversation shown: where the chat started, its flow variables and journey,
 * the visitor's profile and its audit; and the agent's edits (each answered with the audited profile).
 */
export const useVisitorContextStore = defineStore('agent-visitor-context', () => {
  const session = useSessionStore();
  const conversations = useConversationsStore();

  const conversationId = ref<string | null>(null);
  const view = ref<VisitorContextView | null>(null);
  const loading = ref(false);
  const loadError = ref<string | null>(null);
  const saving = ref(false);
  /** Why the last edit was refused (the server's message names the field). */
  const saveError = ref<string | null>(null);
  const saveField = ref<string | null>(null);
  let loadSeq = 0;

  async function load(id: string | null, opts: { quiet?: boolean } = {}) {
    const seq = ++loadSeq;
    if (id !== conversationId.value) {
      view.value = null;
      saveError.value = null;
    }
    conversationId.value = id;
    if (!id) return;
    if (!opts.quiet) loading.value = true;
    loadError.value = null;
    try {
      const next = await visitorContextApi.forConversation(session.api, id);
      if (seq === loadSeq) view.value = next;
    } catch (err) {
      if (seq === loadSeq) loadError.value = errorMessage(err);
    } finally {
      if (seq === loadSeq) loading.value = false;
    }
  }

  async function save(run: (visitorId: string) => Promise<Pick<VisitorContextView, 'profile' | 'audit' | 'editable'>>): Promise<boolean> {
    const current = view.value;
    if (!current) return false;
    saving.value = true;
    saveError.value = null;
    saveField.value = null;
    try {
      const next = await run(current.profile.visitorId);
      if (view.value && view.value.profile.visitorId === next.profile.visitorId) view.value = { ...view.value, ...next };
      if (next.profile.displayName !== current.profile.displayName) conversations.refreshVisitor(next.profile.visitorId);
      return true;
    } catch (err) {
      saveError.value = errorMessage(err);
      saveField.value = err instanceof ApiError ? err.field ?? null : null;
      return false;
    } finally {
      saving.value = false;
    }
  }

  const updateProfile = (patch: VisitorProfilePatch) => save((visitorId) => visitorContextApi.updateProfile(session.api, visitorId, patch));
  const setVip = (vip: boolean) => save((visitorId) => visitorContextApi.setVip(session.api, visitorId, vip));

  /** A push: the shown visitor's profile or journey changed (another agent, an admin, the visitor's pages). */
  function changed(e: VisitorContextChangedEvent) {
    if (e.what === 'profile') conversations.refreshVisitor(e.visitorId);
    if (!view.value || !conversationId.value) return;
    if (e.visitorId !== view.value.profile.visitorId) return;
    if (e.conversationId && e.conversationId !== conversationId.value) return;
    void load(conversationId.value, { quiet: true });
  }

  function reset() {
    loadSeq++;
    conversationId.value = null;
    view.value = null;
    loadError.value = null;
    saveError.value = null;
  }

  return { conversationId, view, loading, loadError, saving, saveError, saveField, load, updateProfile, setVip, changed, reset };
});
