import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.js';
import type { SocketEmitter } from './socket-emitter.js';
import type { DispatcherSettings } from '../domain/desk/state.js';
import type { OutboundConfig } from './outbound-http.js';
import type { DispatcherWorkflow } from '../domain/contracts/dispatcher-workflow.js';

/** What activities need from the outside world; built once per worker process. */
export interface ActivityDeps {
  db: Db;
  /** Emits Socket.IO events through PostgreSQL NOTIFY to whichever API process holds the socket. */
  emitter: SocketEmitter;
  temporal: Client;
  taskQueue: string;
  loadDispatcherSettings(): Promise<DispatcherSettings>;
  /** The dispatcher workflow function, for starting the desk by reference (activities/workflow-types.ts). */
  dispatcherWorkflow: DispatcherWorkflow;
  /** Who outbound calls (webhooks, flow http nodes) may reach, and how large an answer may be. */
  outbound: OutboundConfig;
}
