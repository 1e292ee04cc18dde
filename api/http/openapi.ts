import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

/** Every route registers itself here through `route()`; the document is generated from the same zod schemas. */
export const registry = new OpenAPIRegistry();
registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

export function openApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Parley API', version: '1.0.0', description: 'Live-chat desk where every conversation is a Temporal workflow. Socket.IO events: docs/socket-events.md' },
    servers: [{ url: '/' }],
  });
}
