import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../../client/operations.js';
import { restClient } from '../../../client/rest.js';
import { prechatSubmissions, ratings, visitorProfileAudit, visitors } from '../../../db/schema.js';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import type { ApiContext } from '../../../api/context.js';
import type { ConversationService } from '../../../api/services/conversations.js';
import { transcriptService } from '../../../api/services/transcripts.js';
import { HttpError } from '../../../api/http/errors.js';
import { emitAck, http, staffClient, visitorClient, type StaffClient, type VisitorClient } from '../../helpers/clients.js';
import { startSmtpServer } from '../../helpers/smtp.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { HANDOFF, acceptOffer, adminToken, end, flowOf, publishFlow, statusOf, visitorOn } from '../flows/helpers.js';

/**
 * Issue 19, the visitor's chat: the pre-chat form (validated, saved to the profile, skipped for known
 * visitors), rating options (only after an agent served), the visitor's own transcript and its e-mail
 * through a real SMTP server. Real Temporal, PostgreSQL and SMTP.
 */
describe('the visitor\'s chat: pre-chat form, rating options, transcript', () => {
  let stack: Stack;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let admin: string;
  let alice: StaffClient;
  /** A hand-off flow with Tencent-style rating options. */
  let served: string;
  /** A bot-only flow with ratings on and the product's default rule (agent-served only). */
  let botOnly: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    stack = await startStack({ api: { transcriptMail: { smtpUrl: smtp.url, from: 'Support <support@desk.test>', perVisitorPerHour: 2 } } });
    admin = await adminToken(stack);
    ({ channel: served } = await publishFlow(stack, admin, flowOf([HANDOFF], {
      rating: { enabled: true, validitySec: 600, askResolved: true, resolvedText: 'Did we solve it, ${visitorName}?', agentServedOnly: true, thanksText: 'Thanks!' },
    })));
    const bot: FlowDefinitionInput = { start: 'bye', variables: [], nodes: [end('bye', 'Bye.')], settings: { rating: { enabled: true, validitySec: 600 } } };
    ({ channel: botOnly } = await publishFlow(stack, admin, bot));
    alice = await staffClient(stack.baseUrl, 'alice@parley.local');
    await alice.setStatus('online');
  });
  afterAll(async () => {
    alice?.close();
    await stack?.stop();
    await smtp?.close();
  });

  /** A visitor on the served channel, taken by Alice. */
  async function servedVisitor(name: string): Promise<VisitorClient> {
    const visitor = await visitorOn(stack, served, name);
    await acceptOffer(alice, visitor);
    return visitor;
  }

  describe('pre-chat form', () => {
    const FORM = {
      enabled: true,
      intro: 'Help us <b>help</b> you.',
      name: { show: true, required: true },
      email: { show: true, required: true },
      consent: { show: true, text: 'I agree that my answers are kept for this conversation.' },
      fields: [
        { id: 'topic', label: 'Topic', type: 'select', options: ['Billing', 'Delivery'], required: true },
        { id: 'order', label: 'Order number', type: 'text', required: false },
      ],
    };
    let channel: string;

    beforeAll(async () => {
      ({ channel } = await publishFlow(stack, admin, flowOf([HANDOFF])));
    });

    it('an admin saves a valid form; an invalid one is refused and changes nothing', async () => {
      const bad = await http<{ error: { message: string } }>(stack.baseUrl, 'PUT', `/api/channels/${channel}/prechat-form`, {
        token: admin, body: { ...FORM, consent: { show: true, text: '' }, fields: [...FORM.fields, { id: 'topic', label: 'Again', type: 'text' }] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/consent|topic/);
      expect((await http<{ enabled: boolean }>(stack.baseUrl, 'GET', `/api/channels/${channel}/prechat-form`, { token: admin })).body.enabled).toBe(false);

      const saved = await http(stack.baseUrl, 'PUT', `/api/channels/${channel}/prechat-form`, { token: admin, body: FORM });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      const list = await http<Array<{ channel: string }>>(stack.baseUrl, 'GET', '/api/prechat-forms', { token: admin });
      expect(list.body.map((f) => f.channel)).toContain(channel);
      // a channel no flow serves has no form to edit
      expect((await http(stack.baseUrl, 'PUT', '/api/channels/no-such-channel/prechat-form', { token: admin, body: FORM })).status).toBe(404);
    });

    it('the visitor must fill it in first: every bad field is named and nothing is saved; good answers go to the profile and the agent sees them', async () => {
      const rest = restClient(stack.baseUrl);
      const session = await rest.call(operations.createVisitorSession, { body: {} });
      const token = session.token;
      const view = await http<{ form: { fields: unknown[] } | null; skip: boolean }>(stack.baseUrl, 'GET', `/api/visitor/prechat?channel=${channel}`, { token });
      expect(view.body.skip).toBe(false);
      expect(view.body.form?.fields).toHaveLength(2);
      // no conversation before the form
      const early = await http<{ error: { code: string; message: string } }>(stack.baseUrl, 'POST', '/api/visitor/conversations', { token, body: { channel } });
      expect(early.status).toBe(409);
      expect(early.body.error.message).toMatch(/pre-chat form/);

      const profileBefore = (await stack.database.db.select().from(visitors).where(eq(visitors.id, session.visitorId)))[0];
      const bad = await http<{ error: { code: string; message: string; field: string } }>(stack.baseUrl, 'POST', '/api/visitor/prechat', {
        token, body: { channel, name: '  ', email: 'not-an-address', consent: false, fields: { topic: 'Other', extra: 'x' } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('name');
      for (const field of ['name', 'email', 'consent', 'fields.topic', 'fields.extra']) expect(bad.body.error.message).toContain(field);
      expect((await stack.database.db.select().from(visitors).where(eq(visitors.id, session.visitorId)))[0]).toEqual(profileBefore);
      expect(await stack.database.db.select().from(prechatSubmissions).where(eq(prechatSubmissions.visitorId, session.visitorId))).toEqual([]);
      expect(await stack.database.db.select().from(visitorProfileAudit).where(eq(visitorProfileAudit.visitorId, session.visitorId))).toEqual([]);

      const good = await http<{ skip: boolean }>(stack.baseUrl, 'POST', '/api/visitor/prechat', {
        token, body: { channel, name: 'Ada Lovelace', email: 'ada@example.com', consent: true, fields: { topic: 'Delivery', order: '<script>alert(1)</script>' } },
      });
      expect(good.status, JSON.stringify(good.body)).toBe(200);
      const profile = (await stack.database.db.select().from(visitors).where(eq(visitors.id, session.visitorId)))[0];
      expect(profile).toMatchObject({ displayName: 'Ada Lovelace', email: 'ada@example.com', attributes: { topic: 'Delivery', order: '<script>alert(1)</script>' } });
      const audit = await stack.database.db.select().from(visitorProfileAudit)
        .where(eq(visitorProfileAudit.visitorId, session.visitorId)).orderBy(asc(visitorProfileAudit.id));
      expect(audit.map((a) => a.field).sort()).toEqual(['attributes.order', 'attributes.topic', 'displayName', 'email']);
      expect((await http<{ skip: boolean }>(stack.baseUrl, 'GET', `/api/visitor/prechat?channel=${channel}`, { token })).body.skip).toBe(true);

      // now the conversation starts; the agent's context panel shows the answers and the consent
      const started = await http<{ id: string }>(stack.baseUrl, 'POST', '/api/visitor/conversations', { token, body: { channel } });
      expect(started.status).toBe(200);
      await alice.waitFor('offer', (o: { conversationId: string }) => o.conversationId === started.body.id);
      expect(await alice.accept(started.body.id)).toEqual({ ok: true });
      const context = await http<{ context: { prechat: { consent: { text: string } | null; answers: Array<{ id: string; label: string; value: string }> } } }>(
        stack.baseUrl, 'GET', `/api/conversations/${started.body.id}/visitor-context`, { token: alice.token });
      expect(context.status).toBe(200);
      expect(context.body.context.prechat?.consent?.text).toBe(FORM.consent.text);
      expect(context.body.context.prechat?.answers).toEqual([
        { id: 'name', label: 'Name', value: 'Ada Lovelace' },
        { id: 'email', label: 'E-mail', value: 'ada@example.com' },
        { id: 'topic', label: 'Topic', value: 'Delivery' },
        { id: 'order', label: 'Order number', value: '<script>alert(1)</script>' },
      ]);
      await alice.closeConversation(started.body.id);
    });

    it('is skipped for a visitor already known (a name of their own and an e-mail)', async () => {
      const known = await visitorClient(stack.baseUrl, 'Grace Hopper', {
        channel,
        beforeStart: async (visitorId) => { await stack.database.db.update(visitors).set({ email: 'grace@example.com' }).where(eq(visitors.id, visitorId)); },
      });
      expect(known.conversation.channel).toBe(channel);
      expect((await http<{ skip: boolean; prefill: unknown }>(stack.baseUrl, 'GET', `/api/visitor/prechat?channel=${channel}`, { token: known.token })).body)
        .toMatchObject({ skip: true, prefill: { name: 'Grace Hopper', email: 'grace@example.com' } });
      expect(await emitAck(known.socket, 'visitor:close', {})).toEqual({ ok: true }); // out of Alice's way
      known.close();
    });

    it('a channel without a form switched on needs none', async () => {
      const visitor = await visitorOn(stack, botOnly, 'Nobody');
      const view = await http<{ skip: boolean; form: unknown }>(stack.baseUrl, 'GET', `/api/visitor/prechat?channel=${botOnly}`, { token: visitor.token });
      expect(view.body).toMatchObject({ skip: true, form: null });
      const refused = await http(stack.baseUrl, 'POST', '/api/visitor/prechat', { token: visitor.token, body: { channel: botOnly, name: 'X' } });
      expect(refused.status).toBe(409);
      visitor.close();
    });
  });

  describe('rating options', () => {
    it('an agent-served conversation is invited with the flow\'s options; score, label, resolved and comment are stored and shown', async () => {
      const visitor = await servedVisitor('Ada');
      expect(await alice.closeConversation(visitor.conversation.id)).toEqual({ ok: true });
      const invite = await visitor.waitForBody('rating-invite');
      expect(invite).toMatchObject({
        scale: 5, style: 'stars', comment: true, resolvedText: 'Did we solve it, Ada?',
        labels: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
      });
      // past the scale: refused, nothing stored
      const tooHigh = await emitAck(visitor.socket, 'visitor:rate', { score: 6, requestId: randomUUID() });
      expect(tooHigh).toMatchObject({ ok: false, error: { code: 'bad_request' } });

      expect(await emitAck(visitor.socket, 'visitor:rate', { score: 4, resolved: true, comment: 'Quick & <kind>', requestId: randomUUID() })).toEqual({ ok: true });
      const result = await visitor.waitForBody('rating-result');
      expect(result).toEqual({ kind: 'rating-result', text: 'Thanks!', score: 4, scale: 5, label: 'Satisfied', resolved: true, comment: 'Quick & <kind>' });
      const stored = await stack.database.db.select().from(ratings).where(eq(ratings.conversationId, visitor.conversation.id));
      expect(stored).toMatchObject([{ score: 4, scale: 5, label: 'Satisfied', resolved: true, comment: 'Quick & <kind>', counted: true }]);
      // the agent's transcript shows the same result
      const history = await http<{ messages: Array<{ body: { kind: string } }> }>(stack.baseUrl, 'GET', `/api/conversations/${visitor.conversation.id}/messages`, { token: alice.token });
      expect(history.body.messages.find((m) => m.body.kind === 'rating-result')?.body).toMatchObject({ label: 'Satisfied', resolved: true });
      visitor.close();
    });

    it('a bot-only conversation is not invited to rate (the product default)', async () => {
      const visitor = await visitorOn(stack, botOnly, 'Bo');
      await visitor.waitForBody('end');
      expect(await statusOf(stack, visitor, 'ended')).toMatchObject({ closedBy: 'flow' });
      await new Promise((r) => setTimeout(r, 300));
      expect(visitor.messages().map((m) => m.body.kind)).not.toContain('rating-invite');
      expect((await emitAck(visitor.socket, 'visitor:rate', { score: 5, requestId: randomUUID() })).ok).toBe(false);
      visitor.close();
    });
  });

  describe('transcript', () => {
    let visitor: VisitorClient;
    let other: VisitorClient;

    beforeAll(async () => {
      visitor = await servedVisitor('Tess');
      await visitor.send('Hello, my parcel <b>is</b> late');
      await alice.waitFor('message', (m: { body: { text?: string } }) => m.body.text === 'Hello, my parcel <b>is</b> late');
      await alice.send(visitor.conversation.id, 'Let me check that for you.\nOne moment.');
      await visitor.waitFor('message', (m: { body: { text?: string } }) => m.body.text?.startsWith('Let me check') === true);
      other = await visitorOn(stack, botOnly, 'Other');
    });
    afterAll(() => { visitor?.close(); other?.close(); });

    it('the visitor downloads their own transcript as plain text; nobody else gets it', async () => {
      const res = await restClient(stack.baseUrl).send('GET', `/api/visitor/conversations/${visitor.conversation.id}/transcript`, { token: visitor.token });
      expect(res.status).toBe(200);
      const text = res.body as string;
      expect(text).toMatch(/^Conversation transcript\nConversation: [0-9a-f-]{36}\n/);
      expect(text).toMatch(/\] You: Hello, my parcel <b>is<\/b> late\n/);
      expect(text).toMatch(/\] Alice: Let me check that for you\.\n {4}One moment\.\n/);

      const zh = await restClient(stack.baseUrl).send('GET', `/api/visitor/conversations/${visitor.conversation.id}/transcript?locale=zh-CN`, { token: visitor.token });
      expect(zh.body as string).toMatch(/^会话记录\n/);
      expect(zh.body as string).toContain('] 您: Hello, my parcel');

      const raw = await fetch(`${stack.baseUrl}/api/visitor/conversations/${visitor.conversation.id}/transcript`, { headers: { authorization: `Bearer ${visitor.token}` } });
      expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(raw.headers.get('content-disposition')).toBe(`attachment; filename="transcript-${visitor.conversation.id}.txt"`);
      expect(raw.headers.get('x-content-type-options')).toBe('nosniff');

      const notMine = await http<{ error: { code: string } }>(stack.baseUrl, 'GET', `/api/visitor/conversations/${visitor.conversation.id}/transcript`, { token: other.token });
      expect(notMine.status).toBe(404);
      expect(JSON.stringify(notMine.body)).not.toContain('parcel');
      const staff = await http(stack.baseUrl, 'GET', `/api/visitor/conversations/${visitor.conversation.id}/transcript`, { token: alice.token });
      expect(staff.status).toBe(403);
      const anonymous = await http(stack.baseUrl, 'GET', `/api/visitor/conversations/${visitor.conversation.id}/transcript`);
      expect(anonymous.status).toBe(401);
    });

    it('e-mails it through the operator\'s SMTP server, at most a few times an hour, and only the visitor\'s own', async () => {
      expect((await http<{ available: boolean }>(stack.baseUrl, 'GET', '/api/visitor/transcript-email', { token: visitor.token })).body).toEqual({ available: true });
      const sent = await http<{ sentTo: string }>(stack.baseUrl, 'POST', `/api/visitor/conversations/${visitor.conversation.id}/transcript/email`, {
        token: visitor.token, body: { to: 'tess@example.com' },
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      expect(sent.body).toEqual({ sentTo: 'tess@example.com' });

      const { envelopeTo, mail } = await smtp.nth(1);
      expect(envelopeTo).toEqual(['tess@example.com']);
      expect(mail.subject).toMatch(/^Your conversation transcript \(\d{4}-\d\d-\d\d\)$/);
      expect(mail.from?.value[0].address).toBe('support@desk.test');
      expect(mail.text).toContain('Here is the transcript of your conversation with us.');
      expect(mail.text).toMatch(/\] You: Hello, my parcel <b>is<\/b> late/);
      expect(mail.text).toMatch(/\] Alice: Let me check that for you\./);
      expect(mail.attachments).toHaveLength(1);
      expect(mail.attachments[0].filename).toBe(`transcript-${visitor.conversation.id}.txt`);
      expect(mail.attachments[0].content.toString('utf8')).toContain('You: Hello, my parcel <b>is</b> late');

      // someone else's conversation: 404, nothing sent
      const notMine = await http(stack.baseUrl, 'POST', `/api/visitor/conversations/${visitor.conversation.id}/transcript/email`, { token: other.token, body: { to: 'x@example.com' } });
      expect(notMine.status).toBe(404);
      // a bad address: 400
      expect((await http(stack.baseUrl, 'POST', `/api/visitor/conversations/${visitor.conversation.id}/transcript/email`, { token: visitor.token, body: { to: 'nope' } })).status).toBe(400);
      // two an hour in this test's settings: the second goes, the third is refused
      expect((await http(stack.baseUrl, 'POST', `/api/visitor/conversations/${visitor.conversation.id}/transcript/email`, { token: visitor.token, body: { to: 'tess@example.com' } })).status).toBe(200);
      const limited = await http<{ error: { code: string } }>(stack.baseUrl, 'POST', `/api/visitor/conversations/${visitor.conversation.id}/transcript/email`, {
        token: visitor.token, body: { to: 'tess@example.com' },
      });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('rate_limited');
      await smtp.nth(2);
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.received).toHaveLength(2);
    });

    it('says clearly when the desk has no SMTP server', async () => {
      const summary = { id: visitor.conversation.id, createdAt: new Date().toISOString() };
      const conversations = { getVisible: async () => summary } as unknown as ConversationService;
      const service = transcriptService({ database: stack.database } as ApiContext, conversations, {});
      expect(service.emailAvailable).toBe(false);
      const err = await service.email({ kind: 'visitor', visitorId: visitor.visitorId }, visitor.conversation.id, { to: 'a@example.com', locale: 'en' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect(err).toMatchObject({ status: 409, message: expect.stringMatching(/not set up.*SMTP_URL/) });
    });
  });
});
