import { ref } from 'vue';
import { defineStore } from 'pinia';
import { ApiError } from '../../common/errors';
import { createSocket, emitWithAck, type AckOk, type ParleySocket, type PayloadOf } from '../../common/socket';
import { trackConnection, type ConnectionState } from '../../common/connection';
import { WORKBENCH_TEXTS } from '../../common/labels';
import type { ClientToServerEvents } from '../../../domain/contracts/events';

/**
 * The workbench's one Socket.IO connection: its state for the screen, and sending on it. The connector
 * (../connector.ts) opens and closes it and routes what the server pushes; stores only send.
 */
export const useSocketStore = defineStore('agent-socket', () => {
  const connection = ref<ConnectionState>('connecting');
  let socket: ParleySocket | null = null;

  /** Connects; `onConnect` runs on every (re)connect, `onRejected` when the server refuses the socket. */
  function open(onConnect: () => void, onRejected: () => void): ParleySocket {
    const s = createSocket();
    socket = s;
    trackConnection(s, connection, onConnect, onRejected);
    return s;
  }

  function close() {
    socket?.removeAllListeners();
    socket?.disconnect();
    socket = null;
    connection.value = 'connecting';
  }

  const isOpen = () => socket !== null;
  const isConnected = () => Boolean(socket?.connected);

  function reconnectLater(ms: number) {
    setTimeout(() => socket?.connect(), ms);
  }

  /** Emit on the open socket and wait for its ack (see emitWithAck); rejects when there is no socket. */
  function emit<E extends keyof ClientToServerEvents>(event: E, payload: PayloadOf<E>, timeoutMs?: number): Promise<AckOk<E>> {
    if (!socket) return Promise.reject(new ApiError('network', WORKBENCH_TEXTS.notConnected));
    return emitWithAck(socket, event, payload, timeoutMs);
  }

  return { connection, open, close, isOpen, isConnected, reconnectLater, emit };
});
