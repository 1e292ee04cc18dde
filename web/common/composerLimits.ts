import type { TYPING_PREVIEW_MAX as SHARED_TYPING_PREVIEW_MAX } from '../../domain/contracts/events';

/** Same value as the server's bound; the type ties it to domain/contracts/events.ts without bundling zod. */
export const TYPING_PREVIEW_MAX: typeof SHARED_TYPING_PREVIEW_MAX = 200;
