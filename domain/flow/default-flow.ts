import type { FlowDefinitionInput } from './schema.js';

/**
 * The service flow every new desk starts with, in English and Simplified Chinese (issue 19: each text has
 * both variants; the settings' texts default to both, default-texts.ts). Welcome → working-hours check → main menu
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
      config: { text: { en: 'Hi ${visitorName}, welcome! We are glad you reached out.', 'zh-CN': '${visitorName}，您好，欢迎！很高兴收到您的咨询。' } },
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
        header: { en: 'What can we help you with?', 'zh-CN': '请问有什么可以帮您？' },
        items: [
          { id: 'agent', content: { en: 'Talk to an agent', 'zh-CN': '联系人工客服' } },
          { id: 'hours', content: { en: 'Opening hours', 'zh-CN': '服务时间' } },
          { id: 'note', content: { en: 'Leave a message', 'zh-CN': '留言' }, description: { en: 'We will answer by email.', 'zh-CN': '我们会通过电子邮件回复您。' } },
        ],
        tail: { en: 'Pick an option or type its number.', 'zh-CN': '请选择一个选项，或输入选项编号。' },
        retryMessage: { en: 'Sorry, I did not get that. Please pick one of the options below.', 'zh-CN': '抱歉，我没有理解您的意思。请从下面的选项中选择一项。' },
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
      config: { text: { en: 'Our agents answer chats during business hours. At other times you can leave a message and we will reply by email.', 'zh-CN': '我们的客服在工作时间内在线答复。其他时间您可以留言，我们会通过电子邮件回复您。' } },
      edges: [{ on: 'next', to: 'main-menu' }],
    },
    {
      id: 'handoff',
      type: 'handoff',
      position: { x: -300, y: 360 },
      config: {
        teamId: null,
        connecting: { en: 'One moment please, we are connecting you to an agent…', 'zh-CN': '请稍候，正在为您转接人工客服…' },
        connected: { en: 'You are now chatting with ${agentName}.', 'zh-CN': '您正在与 ${agentName} 对话。' },
        failed: { en: 'Sorry, none of our agents is available right now.', 'zh-CN': '抱歉，目前没有可以接待您的客服。' },
      },
      edges: [{ on: 'failed', to: 'offer-note' }],
    },
    {
      id: 'after-hours',
      type: 'message',
      position: { x: 300, y: 120 },
      config: { text: { en: 'Thanks for contacting us, ${visitorName}. Our team is away right now.', 'zh-CN': '${visitorName}，感谢您的联系。我们的团队目前不在线。' } },
      edges: [{ on: 'next', to: 'offer-note' }],
    },
    {
      id: 'offer-note',
      type: 'menu',
      position: { x: 300, y: 360 },
      config: {
        header: { en: 'Would you like to leave a message? We will get back to you by email.', 'zh-CN': '您要留言吗？我们会通过电子邮件回复您。' },
        items: [
          { id: 'note', content: { en: 'Leave a message', 'zh-CN': '留言' } },
          { id: 'no', content: { en: 'No, thanks', 'zh-CN': '不用了，谢谢' } },
        ],
        retryMessage: { en: 'Please pick one of the options below.', 'zh-CN': '请从下面的选项中选择一项。' },
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
        prompt: { en: 'What email address can we reply to?', 'zh-CN': '请问我们可以回复到哪个电子邮箱？' },
        formType: 'text',
        variable: 'email',
        rules: [
          { type: 'required', message: { en: 'Please enter your email address.', 'zh-CN': '请输入您的电子邮箱地址。' } },
          { type: 'email', message: { en: 'That does not look like an email address, e.g. name@example.com.', 'zh-CN': '这看起来不像电子邮箱地址，例如 name@example.com。' } },
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
        prompt: { en: 'Please write your message.', 'zh-CN': '请输入您的留言。' },
        formType: 'text',
        variable: 'note',
        rules: [
          { type: 'required', message: { en: 'Please write a few words.', 'zh-CN': '请写几句话。' } },
          { type: 'maxLength', max: 1000, message: { en: 'Your message is too long; please keep it under 1000 characters.', 'zh-CN': '您的留言太长了，请控制在 1000 个字符以内。' } },
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
      config: { text: { en: 'Thank you, ${visitorName}! We received your message and will reply to ${email} as soon as possible.', 'zh-CN': '谢谢您，${visitorName}！我们已收到您的留言，会尽快回复到 ${email}。' } },
      edges: [{ on: 'next', to: 'done' }],
    },
    { id: 'done', type: 'end', position: { x: 0, y: 840 }, config: {}, edges: [] },
    {
      id: 'goodbye',
      type: 'end',
      position: { x: 300, y: 840 },
      config: { text: { en: 'Thank you for contacting us. Goodbye!', 'zh-CN': '感谢您的联系，再见！' } },
      edges: [],
    },
  ],
  settings: { workingHours: null },
};
