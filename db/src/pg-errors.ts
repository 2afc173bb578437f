/** Postgres' unique_violation (23505): the database refused a second row where one may exist. */
export const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
