import type { ErrorCode } from '@tongxin/shared';

/** The one error type commands throw; the error handler turns it into `{ error: … }`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message?: string,
    readonly field?: string,
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }
  /** Whether the message was written for people (else the catalogue supplies one). */
  get hasOwnMessage() {
    return this.message !== this.code;
  }
}
