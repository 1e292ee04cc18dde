import { z } from 'zod';
import { EmailSchema } from './agents.js';

/**
 * Issue 19: a message a visitor left when nobody could answer (out of hours, nobody signed in, or a
 * wait past the flow's limit), with contact details for staff to answer by e-mail or phone.
 */
export const LEFT_MESSAGE_MAX = 4000;

/** Digits, spaces and + ( ) - . only, 5 to 32 characters, at least 5 digits. */
export const PhoneSchema = z.string().trim().max(32, 'phone: at most 32 characters')
  .regex(/^\+?[0-9 ()\-.]{5,32}$/, 'phone: digits, spaces and + ( ) - . only')
  .refine((p) => (p.match(/[0-9]/g) ?? []).length >= 5, 'phone: at least 5 digits');

/** What the visitor fills in; an e-mail address or a phone number (or both) is required. */
export const LeftMessageInputSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(80, 'name: at most 80 characters'),
  email: z.union([z.literal(''), EmailSchema]).optional(),
  phone: z.union([z.literal(''), PhoneSchema]).optional(),
  message: z.string().trim().min(1, 'message is required').max(LEFT_MESSAGE_MAX, `message: at most ${LEFT_MESSAGE_MAX} characters`),
}).strict().refine((m) => Boolean(m.email) || Boolean(m.phone), { message: 'give an e-mail address or a phone number', path: ['email'] });
export type LeftMessageInput = z.infer<typeof LeftMessageInputSchema>;

/** Why the visitor was offered the form. */
export const LeaveMessageReasonSchema = z.enum(['nobodyOnline', 'outOfHours', 'waitLimit']);
export type LeaveMessageReason = z.infer<typeof LeaveMessageReasonSchema>;

export const LeftMessageSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  visitorId: z.uuid(),
  channel: z.string(),
  reason: LeaveMessageReasonSchema,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  message: z.string(),
  createdAt: z.string(),
  handledAt: z.string().nullable(),
  handledBy: z.uuid().nullable(),
  handledByName: z.string().nullable(),
});
export type LeftMessage = z.infer<typeof LeftMessageSchema>;

/** Which left messages a list shows: not handled yet (default), handled, or all. */
export const LeftMessageFilterSchema = z.enum(['open', 'handled', 'all']);
export type LeftMessageFilter = z.infer<typeof LeftMessageFilterSchema>;
