/**
 * The default texts of the flow settings and node fields (issue 19): today's English, and Simplified Chinese.
 * Zod-free: the engine and the conversation machine (workflow code) fall back to some of them, and the
 * schemas (settings.ts, nodes/<type>/node.ts) default to them. A flow that wrote a plain string keeps it, in
 * every locale. Changing an English text here changes what recorded histories replay for the fallbacks
 * applied in workflow code (transfer texts, the flow error): keep the English as it is.
 */
export interface DefaultText { readonly en: string; readonly 'zh-CN': string }

export const DEFAULT_TEXTS = {
  // Flow settings (settings.ts)
  visitorReminderText: { en: 'Are you still there?', 'zh-CN': '您还在吗？' },
  visitorTimeoutText: { en: 'This conversation was closed because we did not hear back from you.', 'zh-CN': '由于一直没有收到您的回复，本次会话已关闭。' },
  idleCloseText: { en: 'This conversation was closed after a period of inactivity.', 'zh-CN': '本次会话因一段时间内没有活动已关闭。' },
  queueText: { en: 'You are number ${QueuePosition} in the queue (${WaitNo} ahead of you).', 'zh-CN': '您目前排在第 ${QueuePosition} 位（前面还有 ${WaitNo} 人）。' },
  closeText: { en: 'The conversation has ended. Thank you for contacting us.', 'zh-CN': '会话已结束，感谢您的咨询。' },
  flowErrorText: {
    en: 'Sorry, something went wrong on our side and this conversation has to end. Please start a new one.',
    'zh-CN': '抱歉，我们这边出了问题，本次会话只能结束。请重新发起一个会话。',
  },
  ratingText: { en: 'How would you rate our service?', 'zh-CN': '请问您对我们的服务满意吗？' },
  ratingThanksText: { en: 'Thank you for your feedback!', 'zh-CN': '感谢您的评价！' },
  ratingResolvedText: { en: 'Was your question resolved?', 'zh-CN': '您的问题解决了吗？' },
  transferText: { en: 'You have been transferred to ${agentName}.', 'zh-CN': '已为您转接给 ${agentName}。' },
  transferToTeamText: {
    en: 'You are being transferred to ${teamName}. Please wait for the next available agent.',
    'zh-CN': '正在为您转接到 ${teamName}，请稍候，下一位空闲的客服将为您服务。',
  },
  /** The team's name in transferToTeamText when the desk knows neither its name nor its id. */
  otherTeamName: { en: 'another team', 'zh-CN': '其他团队' },
  // Flow settings: settings.offline (when nobody can answer)
  nobodyOnlineText: {
    en: 'Sorry, nobody is available to chat right now. Leave us a message and we will get back to you.',
    'zh-CN': '抱歉，现在没有客服可以接待您。请留言，我们会尽快回复您。',
  },
  outsideHoursText: {
    en: 'We are closed right now. Leave us a message and we will get back to you.',
    'zh-CN': '现在不在服务时间内。请留言，我们会尽快回复您。',
  },
  waitLimitText: {
    en: 'Sorry for the wait. You can keep your place in the queue, or leave us a message and we will get back to you.',
    'zh-CN': '抱歉让您久等了。您可以继续排队，也可以留言，我们会尽快回复您。',
  },
  leftText: { en: 'Thank you, we received your message and will get back to you soon.', 'zh-CN': '感谢您的留言，我们已经收到，会尽快回复您。' },
  droppedText: {
    en: 'You left the chat before an agent was free, so we took you out of the queue.',
    'zh-CN': '您在客服接待前离开了会话，我们已将您移出排队。',
  },
  // Node fields (nodes/<type>/node.ts)
  choiceRetry: { en: 'Please choose one of the options.', 'zh-CN': '请从选项中选择一项。' },
  handoffConnecting: { en: 'Connecting you to an agent…', 'zh-CN': '正在为您转接人工客服…' },
  handoffConnected: { en: 'You are now chatting with ${agentName}.', 'zh-CN': '您正在与 ${agentName} 对话。' },
  handoffFailed: { en: 'Sorry, no agent is available right now.', 'zh-CN': '抱歉，目前没有可以接待您的客服。' },
  /** Said when an agent takes a conversation whose hand-off texts are unknown (a state from before they were kept). */
  handoffFailedFallback: { en: 'No agent is available.', 'zh-CN': '目前没有可以接待您的客服。' },
} as const satisfies Record<string, DefaultText>;

/** The default of each settings text (text-fields.ts SETTINGS_TEXT_FIELDS), by its path in the settings. */
export const SETTINGS_TEXT_DEFAULTS: Readonly<Record<string, DefaultText>> = {
  queueText: DEFAULT_TEXTS.queueText,
  visitorReminderText: DEFAULT_TEXTS.visitorReminderText,
  visitorTimeoutText: DEFAULT_TEXTS.visitorTimeoutText,
  idleCloseText: DEFAULT_TEXTS.idleCloseText,
  closeText: DEFAULT_TEXTS.closeText,
  flowErrorText: DEFAULT_TEXTS.flowErrorText,
  'rating.text': DEFAULT_TEXTS.ratingText,
  'rating.thanksText': DEFAULT_TEXTS.ratingThanksText,
  'rating.resolvedText': DEFAULT_TEXTS.ratingResolvedText,
  transferText: DEFAULT_TEXTS.transferText,
  transferToTeamText: DEFAULT_TEXTS.transferToTeamText,
  otherTeamName: DEFAULT_TEXTS.otherTeamName,
  'offline.nobodyOnlineText': DEFAULT_TEXTS.nobodyOnlineText,
  'offline.outsideHoursText': DEFAULT_TEXTS.outsideHoursText,
  'offline.waitLimitText': DEFAULT_TEXTS.waitLimitText,
  'offline.leftText': DEFAULT_TEXTS.leftText,
  'offline.droppedText': DEFAULT_TEXTS.droppedText,
};
