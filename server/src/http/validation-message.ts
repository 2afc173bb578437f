import type { Locale } from '@tongxin/shared/errors';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { fieldLabel } from './messages.ts';

export interface ReadableValidation {
  code: 'validation_failed' | 'unknown_field';
  field: string | undefined;
  message: string;
}

/** Turns the first schema error into one sentence a person can act on. */
export function describeValidationError(
  error: FastifySchemaValidationError,
  part: string,
  locale: Locale,
): ReadableValidation {
  const en = locale === 'en';
  const params = error.params as Record<string, unknown>;
  const path = error.instancePath.split('/').filter(Boolean);
  let field = path.at(-1);
  if (error.keyword === 'required') field = String(params.missingProperty);
  if (error.keyword === 'additionalProperties') {
    const name = String(params.additionalProperty);
    return {
      code: 'unknown_field',
      field: name,
      message: en ? `The field “${name}” is not accepted here.` : `不接受字段“${name}”。`,
    };
  }
  const label = fieldLabel(field ?? '', locale);
  const describe = (): string => {
    switch (error.keyword) {
      case 'required':
        return en ? `${label} is required.` : `请填写${label}。`;
      case 'type':
        if (!field && part === 'body')
          return en ? 'The request body must be a JSON object.' : '请求内容必须是 JSON 对象。';
        return en
          ? `${label} must be a ${String(params.type)}.`
          : `${label}的格式不正确（应为 ${String(params.type)}）。`;
      case 'minLength':
        return Number(params.limit) <= 1
          ? en
            ? `${label} cannot be empty.`
            : `${label}不能为空。`
          : en
            ? `${label} needs at least ${String(params.limit)} characters.`
            : `${label}至少需要 ${String(params.limit)} 个字符。`;
      case 'maxLength':
        return en
          ? `${label} can have at most ${String(params.limit)} characters.`
          : `${label}最多 ${String(params.limit)} 个字符。`;
      case 'minimum':
      case 'maximum':
        return en
          ? `${label} is out of range (${error.message ?? ''}).`
          : `${label}超出允许范围（${error.message ?? ''}）。`;
      case 'pattern':
      case 'format':
        return en ? `${label} is not in the right format.` : `${label}的格式不正确。`;
      case 'minItems':
      case 'maxItems':
      case 'uniqueItems':
        return en
          ? `${label}: ${error.message ?? 'wrong number of items'}.`
          : `${label}的数量或内容不正确。`;
      case 'enum':
        return en ? `${label} is not one of the allowed values.` : `${label}的取值无效。`;
      case 'minProperties':
        return en ? 'Nothing to change was sent.' : '没有提交任何要修改的内容。';
      default:
        return en ? `${label} is not valid.` : `${label}无效。`;
    }
  };
  return { code: 'validation_failed', field, message: describe() };
}
