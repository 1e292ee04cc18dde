import type { AckError } from '../../domain/contracts/events';

/** Codes from the REST and socket contracts, plus the two the client produces itself. */
export type ErrorCode = AckError['code'] | 'network' | 'timeout' | (string & {});

/** Every failed request (REST or socket ack) surfaces as one of these. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  /** The whole parsed error body, for answers that carry more than `error` (e.g. a 422 with `problems`). */
  readonly body?: unknown;

  constructor(code: ErrorCode, message: string, status = 0, field?: string, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field;
    this.body = body;
  }

  get isUnauthorized(): boolean {
    return this.status === 401 || this.code === 'unauthorized';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong';
}
