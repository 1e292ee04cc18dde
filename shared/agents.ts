import { z } from 'zod';

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
