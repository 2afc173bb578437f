import type { ErrorCode } from '@tongxin/shared/errors';
import { refusalStatus, type RefusalCode, type RefusalParams } from '@tongxin/shared/refusals';

/** The one error type commands throw; the error handler turns it into `{ error: … }`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message?: string,
    readonly field?: string,
    /** A refusal's parameters, worded by the catalogue in the request's language. */
    readonly params?: Record<string, string | number>,
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }
  /** Whether the message was written for people (else the catalogue supplies one). */
  get hasOwnMessage() {
    return this.message !== this.code;
  }
}

type ParamsArg<C extends RefusalCode> =
  Record<string, never> extends RefusalParams<C>
    ? [params?: RefusalParams<C>, field?: string]
    : [params: RefusalParams<C>, field?: string];

/**
 * A command's refusal: its code (shared/src/<feature>/refusals.ts) and parameters. The status
 * comes from the code and the words from shared/messages, so a route never writes a sentence.
 */
export function refuse<C extends RefusalCode>(code: C, ...[params, field]: ParamsArg<C>): AppError {
  return new AppError(
    refusalStatus(code),
    code,
    undefined,
    field,
    params as Record<string, string | number> | undefined,
  );
}
