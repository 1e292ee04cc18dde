import { t, te } from './i18n';
import type { NodeOutput } from './graph';

/** A node type's name in the UI: the catalogue's, else the type itself (a type added later still shows). */
export const typeLabel = (type: string) => (te(`admin.designer.types.${type}.name`) ? t(`admin.designer.types.${type}.name`) : type);
export const typeHint = (type: string) => (te(`admin.designer.types.${type}.hint`) ? t(`admin.designer.types.${type}.hint`) : '');

/** An output's label: the menu item's text, the catalogue's name for a known edge, else the edge name. */
export function outputLabel(output: NodeOutput): string {
  if (output.itemText !== undefined && output.itemText !== '') return output.itemText;
  return te(`admin.designer.edges.${output.on}`) ? t(`admin.designer.edges.${output.on}`) : output.on;
}

/** A field's label: the catalogue's name for a known key, else the key split into words. */
export function fieldLabel(key: string): string {
  if (te(`admin.designer.fields.${key}`)) return t(`admin.designer.fields.${key}`);
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
