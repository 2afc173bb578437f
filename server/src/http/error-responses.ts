import { Type } from 'typebox';
import { ERROR_CODES } from '@tongxin/shared/errors';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Enum([...ERROR_CODES]),
      message: Type.String(),
      field: Type.Optional(Type.String()),
      params: Type.Optional(
        Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
          description: 'A refusal’s parameters, as its words in shared/messages name them.',
        }),
      ),
    }),
  },
  { description: 'Every error has this shape; `message` is readable as it stands.' },
);

/** The error statuses a route can answer, for its OpenAPI description. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
}
