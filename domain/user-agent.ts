/**
 * Browser and operating system from a User-Agent header, for the agent's eyes only: the common families
 * and a major version, "Other" for the rest. Order matters (Edge and Opera say "Chrome", Chrome says
 * "Safari"). Only bounded, linear regular expressions: the header is visitor input.
 */
export interface UserAgentInfo { browser: string; os: string }

export const MAX_USER_AGENT = 512;

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\/(\d{1,4})/, 'Edge'],
  [/\b(?:OPR|Opera)\/(\d{1,4})/, 'Opera'],
  [/\bSamsungBrowser\/(\d{1,4})/, 'Samsung Internet'],
  [/\bMicroMessenger\/(\d{1,4})/, 'WeChat'],
  [/\bUCBrowser\/(\d{1,4})/, 'UC Browser'],
  [/\b(?:Firefox|FxiOS)\/(\d{1,4})/, 'Firefox'],
  [/\b(?:Chrome|CriOS)\/(\d{1,4})/, 'Chrome'],
  [/\bVersion\/(\d{1,4})[.\d]* (?:Mobile\/\S{1,20} )?Safari\//, 'Safari'],
  [/\bTrident\/.{0,40}rv:(\d{1,4})/, 'Internet Explorer'],
];

const SYSTEMS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/\bWindows NT (\d{1,2}\.\d)/, (m) => `Windows${WINDOWS[m[1]] ? ` ${WINDOWS[m[1]]}` : ''}`],
  [/\b(?:iPhone|iPad|iPod).{0,60}? OS (\d{1,2})[_.]/, (m) => `iOS ${m[1]}`],
  [/\bAndroid (\d{1,2}(?:\.\d{1,2})?)/, (m) => `Android ${m[1]}`],
  [/\bHarmonyOS\b/, () => 'HarmonyOS'],
  [/\bCrOS\b/, () => 'ChromeOS'],
  [/\bMac OS X (\d{1,2})[_.](\d{1,2})/, (m) => `macOS ${m[1]}.${m[2]}`],
  [/\bLinux\b/, () => 'Linux'],
];

const WINDOWS: Record<string, string> = { '10.0': '10/11', '6.3': '8.1', '6.2': '8', '6.1': '7' };

export function parseUserAgent(header: string | undefined | null): UserAgentInfo | null {
  if (!header) return null;
  const ua = header.slice(0, MAX_USER_AGENT);
  let browser = 'Other';
  for (const [re, name] of BROWSERS) {
    const m = ua.match(re);
    if (m) { browser = `${name} ${m[1]}`; break; }
  }
  let os = 'Other';
  for (const [re, name] of SYSTEMS) {
    const m = ua.match(re);
    if (m) { os = name(m); break; }
  }
  return { browser, os };
}
