import type { App } from '@tongxin/server';

export interface RouteInfo {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  /** Property names the body schema accepts. */
  bodyFields: string[];
}

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

/**
 * Every state-changing route the app serves, read from its own OpenAPI document, so a
 * route added later is swept by the same tests without anyone listing it.
 */
export function stateChangingRoutes(app: App, sample: Record<string, string> = {}): RouteInfo[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const routes: RouteInfo[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const upper = method.toUpperCase();
      if (upper !== 'POST' && upper !== 'PATCH' && upper !== 'PUT' && upper !== 'DELETE') continue;
      const url = path.replace(
        /\{(\w+)\}/g,
        (_, name: string) => sample[name] ?? '00000000-0000-4000-8000-000000000000',
      );
      const schema = op.requestBody?.content?.['application/json']?.schema;
      routes.push({ method: upper, url, bodyFields: Object.keys(schema?.properties ?? {}) });
    }
  }
  return routes;
}

/** Row counts of every table: a refused request must leave all of them unchanged. */
export async function tableCounts(app: App): Promise<Record<string, number>> {
  const tables = await app.db.introspection.getTables();
  const counts: Record<string, number> = {};
  for (const table of tables) {
    if (table.name.startsWith('kysely_')) continue;
    const row = await app.db
      .selectFrom(table.name as 'users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table.name] = Number(row.n);
  }
  return counts;
}
