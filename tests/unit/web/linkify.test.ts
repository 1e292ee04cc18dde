import { describe, expect, it } from 'vitest';
import { linkSegments, safeHref } from '../../../web/common/linkify.js';

const links = (text: string) => linkSegments(text).filter((s) => s.kind === 'link');
/** Joining the segments' texts gives back the message exactly: nothing is lost, nothing added. */
const joined = (text: string) => linkSegments(text).map((s) => s.text).join('');

describe('message link rendering', () => {
  it('turns http, https, www and e-mail addresses into links and keeps the text around them', () => {
    const text = 'Track it at https://example.com/track?id=42, or www.example.org.\nMail help@example.com';
    expect(linkSegments(text)).toEqual([
      { kind: 'text', text: 'Track it at ' },
      { kind: 'link', text: 'https://example.com/track?id=42', href: 'https://example.com/track?id=42' },
      { kind: 'text', text: ', or ' },
      { kind: 'link', text: 'www.example.org', href: 'http://www.example.org/' },
      { kind: 'text', text: '.\nMail ' },
      { kind: 'link', text: 'help@example.com', href: 'mailto:help@example.com' },
    ]);
    expect(joined(text)).toBe(text);
  });

  it('never links javascript:, data:, vbscript:, file: or ftp: and keeps them as plain text', () => {
    for (const text of [
      'javascript:alert(1)', 'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox(1)',
      'file:///etc/passwd', 'ftp://example.com/file',
    ]) {
      expect(links(text), text).toEqual([]);
      expect(joined(text), text).toBe(text);
    }
    // A javascript: URL that hides a host: at most the host part becomes an http link, never the scheme.
    const sneaky = 'click javascript://example.com/%0aalert(1)';
    expect(links(sneaky).map((s) => s.kind === 'link' && s.href)).toEqual(['http://example.com/%0aalert(1)']);
    expect(joined(sneaky)).toBe(sneaky);
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('https://exa mple.com')).toBeNull();
    expect(safeHref('https://example.com/\u0000')).toBeNull();
  });

  it('keeps markup in messages as text (the link text is the URL as typed, the href normalised)', () => {
    const text = '<a href="javascript:alert(1)">https://evil.example/<b>x</b></a>';
    for (const s of linkSegments(text)) if (s.kind === 'link') expect(s.href.startsWith('https://evil.example/')).toBe(true);
    expect(joined(text)).toBe(text);
    const [link] = links('see https://example.com/a"onmouseover="alert(1)');
    expect(link?.kind === 'link' && link.href).not.toContain('"');
  });

  it('handles mixed text, Chinese, several links and long URLs', () => {
    const long = `https://example.com/${'a'.repeat(1500)}?q=${'b'.repeat(300)}`;
    const text = `你好，请看 https://例子.测试/路径 和 ${long} 谢谢`;
    const found = links(text);
    expect(found.map((s) => s.text)).toEqual(['https://例子.测试/路径', long]);
    expect(found[0].kind === 'link' && found[0].href).toBe('https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84');
    expect(joined(text)).toBe(text);
    // Beyond the href bound a URL stays text.
    const huge = `https://example.com/${'c'.repeat(3000)}`;
    expect(links(huge)).toEqual([]);
    expect(joined(huge)).toBe(huge);
  });

  it('gives plain text as one segment and an empty text as none', () => {
    expect(linkSegments('just words, no links.')).toEqual([{ kind: 'text', text: 'just words, no links.' }]);
    expect(linkSegments('')).toEqual([]);
  });
});
