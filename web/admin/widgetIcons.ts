import type { LauncherIcon, LauncherPosition } from '../../domain/widget';

/** The launcher's choices as the admin console offers them (the same fixed icon set as web/widget/launcher.ts). */
export const LAUNCHER_POSITION_NAMES: readonly LauncherPosition[] = ['bottom-right', 'bottom-left'];
export const LAUNCHER_ICON_NAMES: readonly LauncherIcon[] = ['chat', 'help', 'headset', 'mail'];
export { iconPath, textOn } from '../widget/launcher';
