import { z } from 'zod';

/**
 * A staff e-mail address: zod's e-mail pattern, documented as that pattern. Not `format: email`: RFC 5321
 * validators refuse some addresses the pattern takes (a local part over 64 characters) and take some it
 * refuses, so the format would promise a rule the API does not apply (found by the contract test).
 */
export const EmailSchema = z.string().max(200).regex(z.regexes.email, 'Invalid email address');

export const RoleSchema = z.enum(['admin', 'agent']);
export type Role = z.infer<typeof RoleSchema>;

/** Easemob-style presence. Only `online` agents get automatic assignments. */
export const AgentStatusSchema = z.enum(['online', 'busy', 'away', 'offline']);
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

export interface UserProfile {
  id: string;
  email: string;
  nickname: string;
  role: Role;
  maxConversations: number;
  teamIds: string[];
}
