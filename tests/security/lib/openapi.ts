import { send } from './http.js';

/** The subset of JSON Schema (as zod-to-openapi and z.toJSONSchema emit it) the generators understand. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  $ref?: string;
}

export type Access = 'public' | 'visitor' | 'staff' | 'admin' | 'visitor-or-staff';

export interface Param { name: string; required: boolean; schema: JsonSchema }

export interface Operation {
  /** e.g. `POST /api/conversations/{id}/messages` */
  id: string;
  method: string;
  /** OpenAPI path template, `{name}` for path parameters */
  path: string;
  access: Access;
  pathParams: Param[];
  query: Param[];
  body?: JsonSchema;
}

const ACCESS = new Set<Access>(['public', 'visitor', 'staff', 'admin', 'visitor-or-staff']);

/** Every operation of the running API's OpenAPI document, with `$ref`s inlined. */
export async function loadOperations(baseUrl: string): Promise<Operation[]> {
  const res = await send(baseUrl, { method: 'GET', path: '/api/openapi.json' });
  if (res.status !== 200) throw new Error(`GET /api/openapi.json: ${res.status}`);
  const doc = res.body as { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, JsonSchema> } };
  const deref = (s: any, depth = 0): any => {
    if (depth > 40 || s === null || typeof s !== 'object') return s;
    if (Array.isArray(s)) return s.map((x) => deref(x, depth + 1));
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/components/schemas/', '');
      return deref(doc.components?.schemas?.[name] ?? {}, depth + 1);
    }
    return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, deref(v, depth + 1)]));
  };
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const access = op['x-parley-access'];
      if (!ACCESS.has(access)) throw new Error(`${method.toUpperCase()} ${path}: missing or unknown x-parley-access (${String(access)})`);
      const params = ((op.parameters ?? []) as Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>)
          .map((p) => ({ ...p, schema: deref(p.schema ?? {}) }));
      ops.push({
        id: `${method.toUpperCase()} ${path}`,
        method,
        path,
        access,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, required: true, schema: p.schema })),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: Boolean(p.required), schema: p.schema })),
        body: op.requestBody?.content?.['application/json']?.schema ? deref(op.requestBody.content['application/json'].schema) : undefined,
      });
    }
  }
  return ops;
}

/** Fills `{name}` placeholders with already-encoded segments. */
export function fillPath(template: string, encoded: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encoded[name] ?? 'missing');
}
