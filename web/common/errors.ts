import type { AckError } from '../../shared/events';

/** Codes from the REST and socket contracts, plus the two the client produces itself. */
export type ErrorCode = AckError['code'] | 'network' | 'timeout' | (string & {});

/** Every failed request (REST or socket ack) surfaces as one of these. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;

  constructor(code: ErrorCode, message: string, status = 0, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field;
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
