import type { FlowDefinitionInput } from './schema.js';

/**
 * The service flow every new desk starts with. Welcome → working-hours check → main menu
 * (agent / opening hours / leave a message). Outside working hours, or when no agent can take the
 * conversation, the visitor is offered to leave a message (email, then the note).
 * Working hours are off by default (settings.workingHours = null means always open).
 */
export const DEFAULT_FLOW: FlowDefinitionInput = {
  start: 'welcome',
  variables: [],
  nodes: [
    {
      id: 'welcome',
      type: 'message',
      position: { x: 0, y: 0 },
      config: { text: 'Hi ${visitorName}, welcome! We are glad you reached out.' },
      edges: [{ on: 'next', to: 'hours-check' }],
    },
    {
      id: 'hours-check',
      type: 'condition',
      position: { x: 0, y: 120 },
      config: { all: [{ op: 'workingHours' }] },
      edges: [
        { on: 'true', to: 'main-menu' },
        { on: 'false', to: 'after-hours' },
      ],
    },
    {
      id: 'main-menu',
      type: 'menu',
      position: { x: 0, y: 240 },
      config: {
        header: 'What can we help you with?',
        items: [
          { id: 'agent', content: 'Talk to an agent' },
          { id: 'hours', content: 'Opening hours' },
          { id: 'note', content: 'Leave a message', description: 'We will answer by email.' },
        ],
        tail: 'Pick an option or type its number.',
        retryMessage: 'Sorry, I did not get that. Please pick one of the options below.',
        maxRetries: 2,
      },
      edges: [
        { on: 'agent', to: 'handoff' },
        { on: 'hours', to: 'opening-hours' },
        { on: 'note', to: 'ask-email' },
        { on: 'fallback', to: 'handoff' },
      ],
    },
    {
      id: 'opening-hours',
      type: 'message',
      position: { x: 300, y: 240 },
      config: { text: 'Our agents answer chats during business hours. At other times you can leave a message and we will reply by email.' },
      edges: [{ on: 'next', to: 'main-menu' }],
    },
    {
      id: 'handoff',
      type: 'handoff',
      position: { x: -300, y: 360 },
      config: {
        teamId: null,
        connecting: 'One moment please, we are connecting you to an agent…',
        connected: 'You are now chatting with ${agentName}.',
        failed: 'Sorry, none of our agents is available right now.',
      },
      edges: [{ on: 'failed', to: 'offer-note' }],
    },
    {
      id: 'after-hours',
      type: 'message',
      position: { x: 300, y: 120 },
      config: { text: 'Thanks for contacting us, ${visitorName}. Our team is away right now.' },
      edges: [{ on: 'next', to: 'offer-note' }],
    },
    {
      id: 'offer-note',
      type: 'menu',
      position: { x: 300, y: 360 },
      config: {
        header: 'Would you like to leave a message? We will get back to you by email.',
        items: [
          { id: 'note', content: 'Leave a message' },
          { id: 'no', content: 'No, thanks' },
        ],
        retryMessage: 'Please pick one of the options below.',
        maxRetries: 2,
      },
      edges: [
        { on: 'note', to: 'ask-email' },
        { on: 'no', to: 'goodbye' },
        { on: 'fallback', to: 'goodbye' },
      ],
    },
    {
      id: 'ask-email',
      type: 'form',
      position: { x: 0, y: 480 },
      config: {
        prompt: 'What email address can we reply to?',
        formType: 'text',
        variable: 'email',
        rules: [
          { type: 'required', message: 'Please enter your email address.' },
          { type: 'email', message: 'That does not look like an email address, e.g. name@example.com.' },
        ],
        maxRetries: 2,
      },
      edges: [
        { on: 'next', to: 'ask-note' },
        { on: 'fallback', to: 'goodbye' },
      ],
    },
    {
      id: 'ask-note',
      type: 'form',
      position: { x: 0, y: 600 },
      config: {
        prompt: 'Please write your message.',
        formType: 'text',
        variable: 'note',
        rules: [
          { type: 'required', message: 'Please write a few words.' },
          { type: 'maxLength', max: 1000, message: 'Your message is too long; please keep it under 1000 characters.' },
        ],
        maxRetries: 2,
      },
      edges: [
        { on: 'next', to: 'note-thanks' },
        { on: 'fallback', to: 'goodbye' },
      ],
    },
    {
      id: 'note-thanks',
      type: 'message',
      position: { x: 0, y: 720 },
      config: { text: 'Thank you, ${visitorName}! We received your message and will reply to ${email} as soon as possible.' },
      edges: [{ on: 'next', to: 'done' }],
    },
    { id: 'done', type: 'end', position: { x: 0, y: 840 }, config: {}, edges: [] },
    {
      id: 'goodbye',
      type: 'end',
      position: { x: 300, y: 840 },
      config: { text: 'Thank you for contacting us. Goodbye!' },
      edges: [],
    },
  ],
  settings: { workingHours: null },
};
