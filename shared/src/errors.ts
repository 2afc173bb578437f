import { REFUSAL_CODES, type RefusalCode } from './refusals.ts';

/**
 * Every API error has this shape. `code` is stable and translated by the web app;
 * `message` is readable as it stands (in the request's language).
 */
/** Codes that are not a feature's refusal (shared/src/<feature>/refusals.ts). */
export const GENERAL_CODES = [
  'bad_request',
  'validation_failed',
  'unknown_field',
  'body_too_large',
  'unauthenticated',
  'forbidden',
  'bad_origin',
  'not_found',
  'conflict',
  'illegal_state',
  'stage_changed',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type GeneralCode = (typeof GENERAL_CODES)[number];
export type ErrorCode = GeneralCode | RefusalCode;
export const ERROR_CODES: readonly ErrorCode[] = [...GENERAL_CODES, ...REFUSAL_CODES];

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    field?: string;
    /** A refusal's parameters, as its words name them. */
    params?: Record<string, string | number>;
  };
}

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
