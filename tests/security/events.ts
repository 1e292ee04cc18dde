/**
 * The one list of client→server socket events the security suites fuzz and check for access.
 * `satisfies Record<keyof ClientToServerEvents, …>` makes `npm run typecheck` fail when an event is
 * added to (or removed from) domain/contracts/events.ts without being listed here; socket-fuzz.test.ts also
 * compares the list with the interface's keys at run time, since vitest does not typecheck.
 */
import { z } from 'zod';
import {
  AgentMessagePayload, AgentNotePayload, AgentStatusPayload, ClassifyPayload, ConversationRefPayload, TransferAnswerPayload, TransferPayload,
  VisitorMessagePayload, VisitorRatePayload, VisitorLocalePayload, type ClientToServerEvents,
  AgentReadPayload, AgentTypingPayload, VisitorReceiptPayload, VisitorTypingPayload,
  VisitorAvailabilityPayload,
} from '../../domain/contracts/events.js';

export interface ClientEventSpec {
  /** Who may send it: the handler exists only on visitor or only on staff connections. */
  role: 'visitor' | 'staff';
  /** The payload schema the server validates with. */
  payload: z.ZodType;
  /** Changes conversation or presence state when accepted: the access matrix only sends it when it must be refused. */
  mutates: boolean;
}

export const CLIENT_EVENTS = {
  'visitor:message': { role: 'visitor', payload: VisitorMessagePayload, mutates: true },
  'visitor:rate': { role: 'visitor', payload: VisitorRatePayload, mutates: true },
  'visitor:close': { role: 'visitor', payload: z.object({}), mutates: true },
  'visitor:locale': { role: 'visitor', payload: VisitorLocalePayload, mutates: true },
  'agent:status': { role: 'staff', payload: AgentStatusPayload, mutates: true },
  'agent:accept': { role: 'staff', payload: ConversationRefPayload, mutates: true },
  'agent:reject': { role: 'staff', payload: ConversationRefPayload, mutates: true },
  'agent:message': { role: 'staff', payload: AgentMessagePayload, mutates: true },
  'agent:close': { role: 'staff', payload: ConversationRefPayload, mutates: true },
  'agent:transfer': { role: 'staff', payload: TransferPayload, mutates: true },
  'agent:transfer-answer': { role: 'staff', payload: TransferAnswerPayload, mutates: true },
  'conversation:watch': { role: 'staff', payload: ConversationRefPayload, mutates: false },
  // composer: typing relays nothing stored; receipts and read positions are stored
  'visitor:typing': { role: 'visitor', payload: VisitorTypingPayload, mutates: false },
  'visitor:receipt': { role: 'visitor', payload: VisitorReceiptPayload, mutates: true },
  'agent:typing': { role: 'staff', payload: AgentTypingPayload, mutates: false },
  'agent:read': { role: 'staff', payload: AgentReadPayload, mutates: true },
  'agent:note': { role: 'staff', payload: AgentNotePayload, mutates: true },
  'conversation:classify': { role: 'staff', payload: ClassifyPayload, mutates: true },
  // issue 19: following a channel's availability joins a room, stores nothing
  'visitor:availability': { role: 'visitor', payload: VisitorAvailabilityPayload, mutates: false },
} as const satisfies Record<keyof ClientToServerEvents, ClientEventSpec>;

export type ClientEvent = keyof typeof CLIENT_EVENTS;
export const CLIENT_EVENT_NAMES = Object.keys(CLIENT_EVENTS) as ClientEvent[];

// Both directions at the type level: no event of the contract is missing, none is made up.
type Missing = Exclude<keyof ClientToServerEvents, ClientEvent>;
type Extra = Exclude<ClientEvent, keyof ClientToServerEvents>;
export const EVENTS_IN_SYNC: [Missing, Extra] extends [never, never] ? true : { missing: Missing; extra: Extra } = true;
