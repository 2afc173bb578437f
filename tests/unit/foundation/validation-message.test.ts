import { describe, expect, it } from 'vitest';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { describeValidationError } from '@tongxin/server/http/validation-message';

const error = (
  keyword: string,
  instancePath: string,
  params: Record<string, unknown>,
): FastifySchemaValidationError => ({
  keyword,
  instancePath,
  schemaPath: '#',
  params,
  message: 'ajv message',
});

describe('describeValidationError', () => {
  it('names the missing field as people know it', () => {
    expect(
      describeValidationError(
        error('required', '', { missingProperty: 'password' }),
        'body',
        'zh-CN',
      ),
    ).toEqual({
      code: 'validation_failed',
      field: 'password',
      message: '请填写密码。',
    });
    expect(
      describeValidationError(error('required', '', { missingProperty: 'password' }), 'body', 'en')
        .message,
    ).toBe('Password is required.');
  });

  it('calls an unknown field by its name and code', () => {
    expect(
      describeValidationError(
        error('additionalProperties', '', { additionalProperty: 'userId' }),
        'body',
        'en',
      ),
    ).toEqual({
      code: 'unknown_field',
      field: 'userId',
      message: 'The field “userId” is not accepted here.',
    });
  });

  it('gives lengths in characters', () => {
    expect(
      describeValidationError(error('minLength', '/password', { limit: 8 }), 'body', 'zh-CN')
        .message,
    ).toBe('密码至少需要 8 个字符。');
    expect(
      describeValidationError(error('maxLength', '/displayName', { limit: 40 }), 'body', 'en')
        .message,
    ).toBe('Display name can have at most 40 characters.');
  });

  it('explains a body that is not an object', () => {
    expect(
      describeValidationError(error('type', '', { type: 'object' }), 'body', 'en').message,
    ).toBe('The request body must be a JSON object.');
  });
});
