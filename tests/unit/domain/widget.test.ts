import { describe, expect, it } from 'vitest';
import { normalizeOrigin, WidgetSettingsPatchSchema } from '../../../domain/widget.js';

/** Issue 19: what an admin may enter as an allowed origin (it ends up in a CSP header and is compared with `Origin`). */
describe('allowed origins', () => {
  it('accepts exact origins and returns them as browsers send them', () => {
    expect(normalizeOrigin('https://shop.example.com')).toBe('https://shop.example.com');
    expect(normalizeOrigin('HTTPS://Shop.Example.COM')).toBe('https://shop.example.com');
    expect(normalizeOrigin('http://localhost:8080')).toBe('http://localhost:8080');
    expect(normalizeOrigin('https://shop.example.com:443')).toBe('https://shop.example.com');
    expect(normalizeOrigin('http://[::1]:3000')).toBe('http://[::1]:3000');
    expect(normalizeOrigin('https://münchen.example')).toBe('https://xn--mnchen-3ya.example');
  });

  it('refuses anything else, including what would break out of a CSP source list', () => {
    for (const bad of [
      '', 'shop.example.com', 'https://', 'https://shop.example.com/', 'https://shop.example.com/path', 'https://shop.example.com?x=1',
      'https://shop.example.com#x', 'https://*.example.com', '*', "'self'", "'none'", 'javascript:alert(1)', 'data:text/html,x', 'ftp://a.com',
      'https://user:pw@a.com', ' https://a.com', 'https://a.com ', "https://a.com'", 'https://a.com;', "https://a.com; script-src 'unsafe-inline'",
      'https://a.com,https://b.com', 'https://a.com:99999', `https://${'a'.repeat(200)}.com`, 'https://a.com\nX-Evil: 1',
    ]) {
      expect(normalizeOrigin(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('stores normalised origins and refuses duplicates after normalising', () => {
    expect(WidgetSettingsPatchSchema.parse({ allowedOrigins: ['HTTPS://A.COM', 'http://b.com:80'] }).allowedOrigins).toEqual(['https://a.com', 'http://b.com']);
    expect(WidgetSettingsPatchSchema.safeParse({ allowedOrigins: ['https://a.com', 'HTTPS://A.com'] }).success).toBe(false);
    expect(WidgetSettingsPatchSchema.parse({ color: '#ABCDEF' }).color).toBe('#abcdef');
  });
});
