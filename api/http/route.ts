import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Principal } from '../auth/tokens.js';
import { badRequest, forbidden, fromZodError, HttpError, unauthorized } from './errors.js';
import { ErrorSchema, registry, RETRY_AFTER, type Tag } from './openapi.js';
import { assertStorable } from './storable.js';

/** Who may call a route. Checked before the input is validated. */
export type Access = 'public' | 'visitor' | 'staff' | 'admin' | 'visitor-or-staff';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface RouteSpec<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType> {
  method: Method;
  /** Express-style path, e.g. /api/conversations/:id */
  path: string;
  /** Stable name for generated clients, e.g. `closeConversation`. */
  operationId: string;
  summary: string;
  /** More than the summary says (the document adds who may call it). */
  description?: string;
  tag: Tag;
  access: Access;
  body?: B;
  params?: P;
  query?: Q;
  response?: z.ZodType;
  status?: number;
  /** What is missing when the operation answers 404 (implied by path parameters), e.g. 'No such conversation'. */
  notFound?: string;
  /** The states in which the operation refuses (409), e.g. 'The conversation is already closed'. */
  conflict?: string;
  /** Limited by api/http/rate-limit.ts: answers 429 with Retry-After. */
  rateLimited?: boolean;
  /** Further documented outcomes (e.g. 401 of login, 422), or another description of a derived one. */
  responses?: Record<number, { description: string; schema?: z.ZodType; headers?: ResponseConfig['headers'] }>;
  /** The body is raw bytes (application/octet-stream), read by a parser the route module mounts first; the handler gets a Buffer. */
  rawBody?: { description: string };
  /** The success answer is raw bytes (a file) rather than JSON; the handler writes it itself. */
  rawResponse?: { description: string; headers?: ResponseConfig['headers']; /** Also answers JSON of this shape (e.g. `?format=json`). */ json?: z.ZodType };
  /** The body is CSV text (Content-Type text/csv, at most `maxBytes`), handed to the handler as a string; `body` is unused then. */
  csvBody?: { maxBytes: number };
  /** The success answer is CSV text, which the handler sends itself (this describes it); not JSON. */
  csvResponse?: string;
}

export interface RouteContext<B, P, Q> {
  req: Request;
  res: Response;
  principal: Principal | null;
  body: B;
  params: P;
  query: Q;
}

function checkAccess(access: Access, principal: Principal | null): void {
  if (access === 'public') return;
  if (!principal) throw unauthorized();
  const ok = access === 'visitor-or-staff'
    || (access === 'visitor' && principal.kind === 'visitor')
    || (access === 'staff' && principal.kind === 'staff')
    || (access === 'admin' && principal.kind === 'staff' && principal.role === 'admin');
  if (!ok) throw forbidden();
}

const WHO: Record<Access, string> = {
  public: 'Public: no token needed.',
  visitor: 'Needs a visitor token.',
  staff: 'Needs a staff token (agent or admin).',
  admin: 'Needs an admin token.',
  'visitor-or-staff': 'Needs a visitor token or a staff token.',
};

const error = (description: string, headers?: ResponseConfig['headers']): ResponseConfig => ({
  description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: ErrorSchema } },
});

/**
 * Every status an operation can answer, derived from what it declares so a new route cannot leave one
 * out: input → 400; a body → 413; path parameters → 404; a token → 401 and 403; `conflict` → 409;
 * `rateLimited` → 429; and 503 (a store is down) everywhere. The body parser runs for every /api
 * request, so a malformed or oversized JSON body is refused (400, 413) even where none is declared.
 */
function documentedResponses<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType>(spec: RouteSpec<B, P, Q>): Record<string, ResponseConfig> {
  const responses: Record<string, ResponseConfig> = {
    [spec.status ?? 200]: spec.rawResponse
      ? {
        description: spec.rawResponse.description, ...(spec.rawResponse.headers ? { headers: spec.rawResponse.headers } : {}),
        content: spec.rawResponse.json
          ? { 'text/plain': { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: spec.rawResponse.json } }
          : { '*/*': { schema: { type: 'string', format: 'binary' } } },
      }
      : spec.csvResponse
      ? { description: spec.csvResponse, content: { 'text/csv': { schema: z.string() } } }
      : { description: 'Success', ...(spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}) },
    400: error('Invalid input: a malformed JSON body, or parameters or a body that do not match the schema (error code bad_request; `field` names the first bad field)'),
    413: error(spec.rawBody ? 'The file is larger than the desk allows (GET /api/files/limits), or an image has too many pixels'
      : spec.csvBody ? `The request body is larger than ${Math.round(spec.csvBody.maxBytes / 1024)} kB` : 'The request body is larger than 64 kB'),
    503: error('PostgreSQL or Temporal is unreachable, or did not answer in time: try again after Retry-After seconds', RETRY_AFTER),
  };
  if (spec.params || spec.notFound) responses[404] = error(spec.notFound ?? 'Nothing has this id (error code not_found)');
  if (spec.access !== 'public') {
    responses[401] = error('No valid token (error code unauthorized)');
    responses[403] = error('The token does not allow this (error code forbidden)');
  }
  if (spec.conflict) responses[409] = error(`Refused in the current state, nothing changed (error code conflict): ${spec.conflict}`);
  if (spec.rateLimited) responses[429] = error('Too many requests (error code rate_limited): try again after Retry-After seconds', RETRY_AFTER);
  for (const [status, r] of Object.entries(spec.responses ?? {})) {
    responses[status] = { description: r.description, ...(r.headers ? { headers: r.headers } : {}), content: { 'application/json': { schema: r.schema ?? ErrorSchema } } };
  }
  return responses;
}

/** Express paths and their methods, for 405 and OPTIONS (`methodGuard`). */
const methodsByPath = new Map<string, { pattern: RegExp; methods: Set<string> }>();

function remember(path: string, method: Method): void {
  let entry = methodsByPath.get(path);
  if (!entry) {
    // Like Express's own matching: case-insensitive, an optional trailing slash.
    const pattern = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}/?$`, 'i');
    entry = { pattern, methods: new Set() };
    methodsByPath.set(path, entry);
  }
  entry.methods.add(method.toUpperCase());
}

const allowOf = (methods: Set<string>) => {
  const all = new Set(methods);
  if (all.has('GET')) all.add('HEAD');
  all.add('OPTIONS');
  return [...all].join(', ');
};

/**
 * Mounted before the routes: OPTIONS on a known path answers 204 with `Allow` (every method of the
 * path); any other method the path does not have answers 405 with `Allow`. Unknown paths go on (404).
 */
export function methodGuard(): RequestHandler {
  return (req, res, next) => {
    const entry = [...methodsByPath.values()].find((e) => e.pattern.test(req.path));
    if (!entry) return next();
    const allow = allowOf(entry.methods);
    if (req.method === 'OPTIONS') return void res.set('Allow', allow).status(204).end();
    if (entry.methods.has(req.method) || (req.method === 'HEAD' && entry.methods.has('GET'))) return next();
    res.set('Allow', allow);
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allow}`));
  };
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
    operationId: spec.operationId,
    summary: spec.summary,
    description: [spec.description, WHO[spec.access]].filter(Boolean).join(' '),
    tags: [spec.tag],
    // Machine-readable access level (tests/security/access-matrix.test.ts builds its role table from it).
    'x-parley-access': spec.access,
    security: spec.access === 'public' ? [] : [{ bearer: [] }],
    request: {
      ...(spec.params ? { params: spec.params as unknown as z.ZodObject } : {}),
      ...(spec.query ? { query: spec.query as unknown as z.ZodObject } : {}),
      ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
      ...(spec.rawBody ? { body: { required: true, description: spec.rawBody.description, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } } : {}),
      ...(spec.csvBody ? { body: { required: true, content: { 'text/csv': { schema: z.string() } } } } : {}),
    },
    responses: documentedResponses(spec),
  };
  registry.registerPath(config);
  remember(spec.path, spec.method);
  // A CSV body is read only for callers the access level lets through.
  const accessFirst: RequestHandler = (_req, res, next) => {
    try {
      checkAccess(spec.access, (res.locals.principal ?? null) as Principal | null);
      next();
    } catch (err) {
      next(err);
    }
  };
  const csvParser: RequestHandler[] = spec.csvBody ? [accessFirst, express.text({ type: 'text/csv', limit: spec.csvBody.maxBytes })] : [];
  router[spec.method](spec.path, ...csvParser, async (req, res, next) => {
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
      // A declared body is required (the document says so): none, or not JSON, is refused.
      if (spec.body && req.body === undefined) throw badRequest('body: send a JSON object (Content-Type: application/json)');
      if (spec.rawBody && !Buffer.isBuffer(req.body)) throw badRequest('body: send the file\'s bytes (Content-Type: application/octet-stream)');
      if (spec.csvBody && typeof req.body !== 'string') throw badRequest('body: send the CSV text itself (Content-Type: text/csv)');
      if (spec.csvBody) assertStorable(req.body, 'body');
      const body: unknown = spec.rawBody ? (req.body as Buffer) : spec.csvBody ? req.body as unknown : parse(spec.body, req.body, 'body');
      const params = parse(spec.params, req.params, 'params');
      const query = parse(spec.query, req.query, 'query');
      const result = await handler({ req, res, principal, body, params, query } as RouteContext<z.infer<B>, z.infer<P>, z.infer<Q>>);
      if (!res.headersSent) res.status(spec.status ?? 200).json(result ?? { ok: true });
    } catch (err) {
      next(err);
    }
  });
}
