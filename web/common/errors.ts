import { ApiError } from '../../client/errors';

/** Every failed request (REST or socket ack) surfaces as an ApiError of the typed client (client/errors.ts). */
export { ApiError };
export type { ErrorCode } from '../../client/errors';

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong';
}
