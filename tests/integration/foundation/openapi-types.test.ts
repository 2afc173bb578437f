import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { generateApiTypes, SCHEMA_FILE } from '../../../scripts/openapi-types.ts';

// The web client's types are generated from the routes' schemas; a route that changes without
// `npm run api:types` would leave the web typed against an API that no longer exists.
test('web/src/lib/api/schema.d.ts matches the routes (else run `npm run api:types`)', async () => {
  const committed = await readFile(SCHEMA_FILE, 'utf8');
  const fresh = await generateApiTypes();
  expect(fresh === committed, 'schema.d.ts is stale: run `npm run api:types`').toBe(true);
});
