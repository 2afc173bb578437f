import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiErrorBody, ErrorCode, Locale } from '@tongxin/shared/errors';
import { isRefusalCode } from '@tongxin/shared/refusals';
import { refusalText } from '@tongxin/shared/refusal-words';
import { AppError } from './app-error.ts';
import { catalogue } from './messages.ts';
import { requestLocale } from './request-context.ts';
import { describeValidationError } from './validation-message.ts';

interface Mapped {
  status: number;
  code: ErrorCode;
  message?: string;
  field?: string | undefined;
  params?: Record<string, string | number> | undefined;
}

const pgCodes: Record<string, Mapped> = {
  '23505': { status: 409, code: 'conflict' },
  '23503': { status: 409, code: 'conflict' },
  '23514': { status: 400, code: 'validation_failed' },
  '22P02': { status: 400, code: 'bad_request' },
};

function mapError(error: FastifyError & { code?: string }, request: FastifyRequest): Mapped {
  const locale = requestLocale(request);
  if (error instanceof AppError) {
    return {
      status: error.status,
      code: error.code,
      field: error.field,
      params: error.params,
      ...(error.hasOwnMessage ? { message: error.message } : {}),
    };
  }
  // A path parameter names a thing; one that cannot name anything (a cut-short or mistyped
  // id, a code of the wrong shape) is simply not found — never "“id”的格式不正确".
  if (error.validation?.[0] && error.validationContext === 'params') {
    return { status: 404, code: 'not_found' };
  }
  if (error.validation?.[0]) {
    const readable = describeValidationError(
      error.validation[0],
      error.validationContext ?? 'body',
      locale,
    );
    return { status: 400, ...readable };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'body_too_large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: 'bad_request',
        message:
          locale === 'en'
            ? 'Send the body as JSON (Content-Type: application/json).'
            : '请以 JSON 格式提交（Content-Type: application/json）。',
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        code: 'bad_request',
        message:
          locale === 'en'
            ? 'The request body is empty; send a JSON object.'
            : '请求内容为空，请提交 JSON 对象。',
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        code: 'bad_request',
        message:
          locale === 'en' ? 'The request body is not valid JSON.' : '请求内容不是有效的 JSON。',
      };
  }
  if (error.code && pgCodes[error.code]) return pgCodes[error.code]!;
  if (error.statusCode === 429) return { status: 429, code: 'rate_limited' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return {
      status: error.statusCode,
      code: error.statusCode === 404 ? 'not_found' : 'bad_request',
    };
  }
  if (error.code === 'ECONNREFUSED' || error.code === '57P01' || error.code === '53300') {
    return { status: 503, code: 'unavailable' };
  }
  return { status: 500, code: 'internal' };
}

/** The words for a code: a refusal's from shared/messages, the rest from the catalogue. */
function wordsFor(locale: Locale, mapped: Mapped): string {
  if (mapped.message) return mapped.message;
  if (isRefusalCode(mapped.code)) return refusalText(locale, mapped.code, mapped.params);
  return catalogue[locale][mapped.code];
}

export function sendError(reply: FastifyReply, request: FastifyRequest, mapped: Mapped) {
  const body: ApiErrorBody = {
    error: {
      code: mapped.code,
      message: wordsFor(requestLocale(request), mapped),
      ...(mapped.field ? { field: mapped.field } : {}),
      ...(mapped.params ? { params: mapped.params } : {}),
    },
  };
  return reply.status(mapped.status).send(body);
}

/** One error shape for the whole API; a 5xx never shows its internals. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = mapError(error, request);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: mapped.code, status: mapped.status }, 'request refused');
    return sendError(reply, request, mapped);
  });
}
