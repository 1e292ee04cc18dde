/** `${name}` placeholders; whitespace inside the braces is tolerated. */
const PLACEHOLDER = /\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;

/** Replaces every `${name}` in `template` with `vars[name]`; unknown names become the empty string. */
export function interpolate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    return typeof value === 'string' ? value : '';
  });
}

/** Names of the variables a template refers to, in order of first use. */
export function placeholderNames(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}
