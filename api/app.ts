import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { FLOW_JSON_BODY_LIMIT_BYTES, JSON_BODY_LIMIT_BYTES, jsonBodyLimit } from './http/body-limits.js';
import { authenticate } from './auth/middleware.js';
import type { ApiContext } from './context.js';
import { errorHandler, notFound } from './http/errors.js';
import { securityHeaders } from './http/security-headers.js';
import { methodGuard } from './http/route.js';
import { verifyJsonDepth } from './http/json-depth.js';
import { resolveRateLimits, restRateLimits, trustProxySetting } from './http/rate-limit.js';
import { authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { flowRoutes } from './routes/flows.js';
import { flowScenarioRoutes } from './routes/flow-scenarios.js';
import { flowPreviewRoutes } from './routes/flow-preview.js';
import { systemRoutes } from './routes/system.js';
import { visitorRoutes } from './routes/visitor.js';
import type { ComposerService } from './services/composer.js';
import type { ConversationService } from './services/conversations.js';
import type { PresenceService } from './services/presence.js';
import type { TransferService } from './services/transfers.js';
import type { DisabledAgents } from './services/disabled-agents.js';
import { agentRoutes } from './routes/agents.js';
import { blacklistRoutes } from './routes/blacklist.js';
import { workbenchRoutes } from './routes/workbench.js';
import { routingRoutes } from './routes/routing.js';
import { teamRoutes } from './routes/teams.js';
import { visitorContextRoutes } from './routes/visitor-context.js';
import { visitorContextService } from './services/visitor-context.js';
import { fileRoutes } from './routes/files.js';
import type { FileService } from './services/files.js';
import { composerRoutes } from './routes/composer.js';
import { notesRoutes } from './routes/notes.js';
import { classificationRoutes } from './routes/classification.js';
import { cannedResponseRoutes } from './routes/canned-responses.js';
import { historyRoutes } from './routes/history.js';
import { searchRoutes } from './routes/search.js';
import { offlineRoutes } from './routes/offline.js';
import type { AvailabilityService } from './services/availability.js';
import type { LeftMessageService } from './services/left-messages.js';
import { prechatRoutes } from './routes/prechat.js';
import { prechatService } from './services/prechat.js';
import { transcriptRoutes } from './routes/transcripts.js';
import { transcriptService } from './services/transcripts.js';
import { widgetRoutes } from './routes/widget.js';
import { reportRoutes } from './routes/reports.js';
import { widgetAssets } from './http/widget-assets.js';
import { widgetService } from './services/widget.js';
import { wallboardRoutes } from './routes/wallboard.js';
import type { WallboardService } from './services/wallboard.js';

const webDist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

export interface Services {
  conversations: ConversationService; presence: PresenceService; transfers: TransferService; disabledAgents: DisabledAgents; files: FileService;
  composer: ComposerService;
  /** Issue 19: when nobody can answer. */
  availability: AvailabilityService; leftMessages: LeftMessageService;
  /** Issue 21: the live wallboard. */
  wallboard: WallboardService;
}

export function createApp(ctx: ApiContext, services: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (ctx.config.trustProxy) app.set('trust proxy', trustProxySetting(ctx.config.trustProxy));
  app.use(securityHeaders(ctx.config.frameOrigins));
  app.use(methodGuard()); // 405 + Allow, OPTIONS → 204 + Allow, for every path route() declared
  // Flow drafts are the one large JSON body (api/http/body-limits.ts).
  const flowJson = express.json({ limit: FLOW_JSON_BODY_LIMIT_BYTES, strict: true, verify: verifyJsonDepth });
  const json = express.json({ limit: JSON_BODY_LIMIT_BYTES, strict: true, verify: verifyJsonDepth });
  app.use('/api', (req, res, next) => (jsonBodyLimit(req.originalUrl) === FLOW_JSON_BODY_LIMIT_BYTES ? flowJson : json)(req, res, next));
  app.use('/api', authenticate(ctx.tokens, ctx.database.db, ctx.sessions));
  app.use(restRateLimits(resolveRateLimits(ctx.config.rateLimits)));
  app.use(systemRoutes(ctx));
  app.use(authRoutes(ctx));
  const visitorContext = visitorContextService(ctx, services.conversations);
  const prechat = prechatService(ctx);
  app.use(visitorRoutes(ctx, services.conversations, visitorContext, prechat));
  app.use(conversationRoutes(ctx, services.conversations));
  app.use(agentRoutes(ctx, services));
  app.use(teamRoutes(ctx));
  app.use(routingRoutes(ctx, services));
  app.use(blacklistRoutes(ctx, services.conversations));
  app.use(flowRoutes(ctx));
  app.use(flowScenarioRoutes(ctx));
  app.use(flowPreviewRoutes(ctx));
  app.use(visitorContextRoutes(ctx, visitorContext));
  app.use(fileRoutes(services.files));
  app.use(composerRoutes(services.composer));
  app.use(workbenchRoutes(ctx));
  app.use(notesRoutes(ctx, services.conversations));
  app.use(classificationRoutes(ctx, services.conversations));
  app.use(cannedResponseRoutes(ctx, services.conversations));
  app.use(historyRoutes(ctx));
  app.use(searchRoutes(ctx));
  app.use(reportRoutes(ctx));
  app.use(offlineRoutes(services.availability, services.leftMessages));
  // Issue 19, the visitor's chat: pre-chat forms and transcripts.
  app.use(prechatRoutes(ctx, prechat));
  app.use(wallboardRoutes(services.wallboard));
  app.use(transcriptRoutes(ctx, transcriptService(ctx, services.conversations, ctx.config.transcriptMail)));
  app.use(widgetRoutes(ctx));
  app.use('/api', (_req, _res, next) => next(notFound('Endpoint')));

  if (fs.existsSync(webDist)) {
    app.use(widgetAssets(webDist, widgetService(ctx)));
    app.use(express.static(webDist, { index: 'index.html' }));
    // Client-side routes of each app fall back to its index.html.
    for (const appName of ['agent', 'admin']) {
      app.get(new RegExp(`^/${appName}(/.*)?$`), (_req, res) => res.sendFile(path.join(webDist, appName, 'index.html')));
    }
  }
  // Express's own 404 drops the headers set above (CSP, framing): answer unknown pages here instead.
  app.use((_req, _res, next) => next(notFound('Page')));
  app.use(errorHandler);
  return app;
}
