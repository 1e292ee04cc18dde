import type { LauncherIcon, PublicWidgetConfig } from '../../domain/widget';

/** The launcher's icons (fixed SVG paths, 24×24) and its stylesheet, applied inside the loader's Shadow DOM. */
const PATHS: Record<LauncherIcon | 'close', string> = {
  chat: 'M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z',
  help: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 17h-2v-2h2v2zm2.07-7.75-.9.92C13.45 12.9 13 13.5 13 15h-2v-.5c0-1.1.45-2.1 1.17-2.83l1.24-1.26A2 2 0 1 0 10 9H8a4 4 0 1 1 8 0c0 .88-.36 1.68-.93 2.25z',
  headset: 'M12 1a9 9 0 0 0-9 9v7a3 3 0 0 0 3 3h3v-8H5v-2a7 7 0 0 1 14 0v2h-4v8h4v1h-7v2h6a3 3 0 0 0 3-3V10a9 9 0 0 0-9-9z',
  mail: 'M20 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 4-8 5-8-5V6l8 5 8-5v2z',
  close: 'M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z',
};

/** The SVG path of a launcher icon. */
export const iconPath = (name: LauncherIcon | 'close'): string => PATHS[name] ?? PATHS.chat;

/** An icon as DOM nodes (never parsed from a string). */
export function icon(name: LauncherIcon | 'close', className: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', className);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name] ?? PATHS.chat);
  svg.append(path);
  return svg;
}

/** Black or white, whichever reads better on the admin's colour (WCAG relative luminance). */
export function textOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? '#ffffff' : '#111111';
}

export function launcherCss(config: Pick<PublicWidgetConfig, 'color'>, mode: 'launcher' | 'inline'): string {
  const color = /^#[0-9a-f]{6}$/i.test(config.color) ? config.color : '#2f6fde';
  const fg = textOn(color);
  return `:host{all:initial}
.root{box-sizing:border-box;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2937;display:flex;flex-direction:column;gap:12px}
.root:not(.mode-inline){position:fixed;bottom:20px;right:20px;align-items:flex-end}
.root.bottom-left{right:auto;left:20px;align-items:flex-start}
.root.mode-inline{width:100%;height:100%}
.launcher{all:unset;box-sizing:border-box;position:relative;display:inline-flex;align-items:center;gap:8px;height:56px;min-width:56px;padding:0 20px 0 16px;border-radius:28px;background:${color};color:${fg};cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);font-weight:600;font-size:15px}
.launcher:hover{filter:brightness(1.08)}
.launcher:focus-visible{outline:3px solid #111;outline-offset:3px;box-shadow:0 0 0 6px #fff}
.launcher svg{width:26px;height:26px;fill:currentColor;flex:none}
.texts{display:flex;flex-direction:column;line-height:1.25}
.state{font-size:12px;font-weight:400}
.status{position:absolute;left:31px;top:29px;width:14px;height:14px;box-sizing:border-box;border-radius:50%;border:2px solid #fff;background:#9ca3af}
.status.online{background:#22c55e}
.status.away{background:#f59e0b}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;box-sizing:border-box;border-radius:10px;background:#c4320a;color:#fff;font-size:12px;line-height:20px;text-align:center;font-weight:700}
[hidden]{display:none!important}
.i-close{display:none}
.open .i-main,.open .texts,.open .status{display:none}
.open .i-close{display:block}
.open .launcher{padding:0;width:56px;justify-content:center}
.panel{width:380px;height:min(640px,calc(100vh - 110px));border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.28);background:#fff}
.mode-inline .panel{width:100%;height:100%;min-height:${mode === 'inline' ? 420 : 0}px;border-radius:0;box-shadow:none}
.frame{border:0;width:100%;height:100%;display:block;color-scheme:normal}
@media (max-width:480px){
.root:not(.mode-inline){bottom:12px;right:12px}
.root.bottom-left{left:12px}
.texts{display:none}
.launcher{padding:0;width:56px;justify-content:center}
.root.open:not(.mode-inline) .panel{position:fixed;inset:0;width:100vw;height:100%;border-radius:0}
.root.open:not(.mode-inline) .launcher{display:none}
}`;
}
