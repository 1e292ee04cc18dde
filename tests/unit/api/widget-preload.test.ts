import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { preloadStatement } from '../../../api/http/widget-assets.js';
import type { PublicWidgetConfig } from '../../../domain/widget.js';

describe('widget.js?channel=: the look it carries', () => {
  const hostile: PublicWidgetConfig = {
    channel: 'web', position: 'bottom-right', color: '#0a7a3b', icon: 'chat', originAllowed: true,
    label: '</script><img src=x onerror="alert(1)">\u2028客服\u2029',
  };

  it('hands the loader exactly the channel\'s settings, whatever an admin typed as the label', () => {
    const window: { ParleyPreload?: Record<string, PublicWidgetConfig> } = {};
    vm.runInNewContext(preloadStatement(hostile), { window });
    expect(window.ParleyPreload?.web).toEqual(hostile);
  });

  it('never puts a tag or a line separator in the script text', () => {
    const text = preloadStatement(hostile);
    expect(text).not.toMatch(/[<\u2028\u2029]/);
  });

  it('keeps what an earlier script preloaded for another channel', () => {
    const window: { ParleyPreload?: Record<string, PublicWidgetConfig> } = {};
    vm.runInNewContext(preloadStatement(hostile), { window });
    vm.runInNewContext(preloadStatement({ ...hostile, channel: 'shop' }), { window });
    expect(Object.keys(window.ParleyPreload ?? {})).toEqual(['web', 'shop']);
  });
});
