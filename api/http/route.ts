import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Principal } from '../auth/tokens.js';
import { forbidden, fromZodError, unauthorized } from './errors.js';
import { registry } from './openapi.js';
import { assertStorable } from './storable.js';

/** Who may call a route. Checked before the input is validated. */
export type Access = 'public' | 'visitor' | 'staff' | 'admin' | 'visitor-or-staff';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface RouteSpec<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType> {
  method: Method;
  /** Express-style path, e.g. /api/conversations/:id */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  params?: P;
  query?: Q;
  response?: z.ZodType;
  status?: number;
  /** Further documented outcomes, e.g. `{ 404: { description: 'No such flow' } }` (the default error shape unless `schema`). */
  responses?: Record<number, { description: string; schema?: z.ZodType }>;
}

export interface RouteContext<B, P, Q> {
  req: Request;
  res: Response;
  principal: Principal | null;
  body: B;
  params: P;
  query: Q;
}

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });

function checkAccess(access: Access, principal: Principal | null): void {
  if (access === 'public') return;
  if (!principal) throw unauthorized();
  const ok = access === 'visitor-or-staff'
    || (access === 'visitor' && principal.kind === 'visitor')
    || (access === 'staff' && principal.kind === 'staff')
    || (access === 'admin' && principal.kind === 'staff' && principal.role === 'admin');
  if (!ok) throw forbidden();
}

/**
 * Declares a route once: the same zod schemas validate the request and describe it in the OpenAPI
 * document. A request that fails auth or validation never reaches the handler, so it changes nothing.
 */
export function route<B extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
  router: Router,
  spec: RouteSpec<B, P, Q>,
  handler: (ctx: RouteContext<z.infer<B>, z.infer<P>, z.infer<Q>>) => Promise<unknown>,
): void {
  const openapiPath = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
  const config: RouteConfig = {
    method: spec.method,
    path: openapiPath,
    summary: spec.summary,
    tags: [spec.tag],
    // Machine-readable access level (tests/security/access-matrix.test.ts builds its role table from it).
    'x-parley-access': spec.access,
    ...(spec.access === 'public' ? {} : { security: [{ bearer: [] }] }),
    request: {
      ...(spec.params ? { params: spec.params as unknown as z.ZodObject } : {}),
      ...(spec.query ? { query: spec.query as unknown as z.ZodObject } : {}),
      ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } } } } : {}),
    },
    responses: {
      [spec.status ?? 200]: { description: 'Success', ...(spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}) },
      400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorSchema } } },
      ...(spec.access === 'public' ? {} : {
        401: { description: 'Not signed in', content: { 'application/json': { schema: ErrorSchema } } },
        403: { description: 'Not allowed', content: { 'application/json': { schema: ErrorSchema } } },
      }),
      ...Object.fromEntries(Object.entries(spec.responses ?? {}).map(([status, r]) => [status, { description: r.description, content: { 'application/json': { schema: r.schema ?? ErrorSchema } } }])),
    },
  };
  registry.registerPath(config);
  router[spec.method](spec.path, async (req, res, next) => {
    try {
      const principal = (res.locals.principal ?? null) as Principal | null;
      checkAccess(spec.access, principal);
      const parse = <S extends z.ZodType | undefined>(schema: S, value: unknown, where: string) => {
        if (!schema) return undefined;
        assertStorable(value, where);
        const r = schema.safeParse(value);
        if (!r.success) throw fromZodError(r.error, where);
        return r.data;
      };
      const body = parse(spec.body, req.body ?? {}, 'body');
      const params = parse(spec.params, req.params, 'params');
      const query = parse(spec.query, req.query, 'query');
      const result = await handler({ req, res, principal, body, params, query } as RouteContext<z.infer<B>, z.infer<P>, z.infer<Q>>);
      if (!res.headersSent) res.status(spec.status ?? 200).json(result ?? { ok: true });
    } catch (err) {
      next(err);
    }
  });
}
