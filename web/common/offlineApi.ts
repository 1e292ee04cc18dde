import { operations as ops } from '../../client/operations';
import type { LeftMessageFilter, LeftMessageInput } from '../../domain/left-messages';
import type { ApiClient } from './api';

/** Issue 19, when nobody can answer (api/routes/offline.ts). */
export const offlineApi = {
  /** Public: no token is sent. */
  availability: (api: ApiClient, channel: string) => api.rest.call(ops.getChannelAvailability, { params: { channel }, token: null }),
  leaveMessage: (api: ApiClient, input: LeftMessageInput) => api.rest.call(ops.leaveMessage, { body: input }),
  listLeftMessages: (api: ApiClient, status: LeftMessageFilter) =>
    api.rest.call(ops.listLeftMessages, { params: { status } }).then((r) => r.leftMessages),
  setHandled: (api: ApiClient, id: string, handled: boolean) => api.rest.call(ops.setLeftMessageHandled, { params: { id }, body: { handled } }),
};
