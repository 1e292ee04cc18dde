import type { PageViewInput, VisitorPageInfo } from '../../domain/visitor-context';

/**
 * What the visitor app tells the desk about the page it runs on, within the API's bounds
 * (domain/visitor-context.ts): the agent sees it beside the chat. Anything not an http(s) URL is left out.
 */
const MAX_URL = 2000;
const MAX_TITLE = 300;

const httpUrl = (value: string): string | undefined => (/^https?:\/\//i.test(value) && value.length <= MAX_URL ? value : undefined);

export function currentPage(): VisitorPageInfo | undefined {
  const url = httpUrl(window.location.href);
  if (!url) return undefined;
  const referrer = httpUrl(document.referrer);
  const language = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(navigator.language) && navigator.language.length <= 35 ? navigator.language : undefined;
  let timeZone: string | undefined;
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zone.length <= 64 && /^[A-Za-z0-9_+\-/]+$/.test(zone)) timeZone = zone;
  } catch { /* no Intl time zone: the offset is enough */ }
  return {
    url,
    ...(document.title ? { title: document.title.trim().slice(0, MAX_TITLE) } : {}),
    ...(referrer ? { referrer } : {}),
    ...(language ? { language } : {}),
    timezoneOffset: new Date().getTimezoneOffset(),
    ...(timeZone ? { timeZone } : {}),
  };
}

/** This page as a page view of the journey (the embeddable widget reports one per page the visitor opens). */
export function currentPageView(): PageViewInput | undefined {
  const page = currentPage();
  return page ? { url: page.url, ...(page.title ? { title: page.title } : {}), at: new Date().toISOString() } : undefined;
}
