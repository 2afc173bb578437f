import { sql } from 'kysely';
import type { App } from '@tongxin/server';

export interface RouteInfo {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  /** Property names the body schema accepts. */
  bodyFields: string[];
  /** The JSON types each field accepts (null means something for some: no timer). */
  fieldTypes: Record<string, string[]>;
}

interface FieldSchema {
  anyOf?: { type?: string }[];
  nullable?: boolean;
  type?: string | string[];
}

interface OpenApiOperation {
  requestBody?: {
    content?: Record<string, { schema?: { properties?: Record<string, FieldSchema> } }>;
  };
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
      const properties = schema?.properties ?? {};
      const fieldTypes = Object.fromEntries(
        Object.entries(properties).map(([name, p]) => [
          name,
          [
            p.type ?? [],
            ...(p.anyOf ?? []).map((t) => t.type ?? []),
            p.nullable ? 'null' : [],
          ].flat(),
        ]),
      );
      routes.push({ method: upper, url, bodyFields: Object.keys(properties), fieldTypes });
    }
  }
  return routes;
}

/** Is `value` of a JSON type the field accepts (so not a wrong type for it)? */
export function acceptsType(route: RouteInfo, field: string, value: unknown): boolean {
  const types = route.fieldTypes[field] ?? [];
  const type =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'array'
        : typeof value === 'number'
          ? Number.isInteger(value)
            ? 'integer'
            : 'number'
          : typeof value;
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

/**
 * Live documents change by themselves: one left idle for 30 s is compacted as it unloads (the
 * demo's day-before reminders open inboxes at start-up), whatever request is under way.
 */
const BACKGROUND_TABLES = new Set(['live_document_updates', 'live_document_snapshots']);

const countedTables = new WeakMap<App, Promise<string[]>>();

/** The tables tableCounts counts: the schema does not change while an app runs. */
function tablesToCount(app: App): Promise<string[]> {
  let tables = countedTables.get(app);
  if (!tables) {
    tables = app.db.introspection
      .getTables()
      .then((all) =>
        all
          .map((table) => table.name)
          .filter((name) => !name.startsWith('kysely_') && !BACKGROUND_TABLES.has(name)),
      );
    countedTables.set(app, tables);
  }
  return tables;
}

/**
 * Row counts of every table: a refused request must leave all of them unchanged. One
 * statement for all of them (hostile-input.test.ts counts twice around hundreds of requests).
 */
export async function tableCounts(app: App): Promise<Record<string, number>> {
  const tables = await tablesToCount(app);
  const { rows } = await sql<{ name: string; n: string }>`${sql.join(
    tables.map(
      (name) => sql`select ${sql.lit(name)} as name, count(*) as n from ${sql.table(name)}`,
    ),
    sql` union all `,
  )}`.execute(app.db);
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.name] = Number(row.n);
  return counts;
}
