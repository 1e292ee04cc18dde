import type { Plugin } from 'vite';

/** What a catalogue's AST nodes look like to this plugin (Rollup's `this.parse` gives ESTree nodes). */
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const CATALOGUE = /\/web\/common\/i18n\/locales\/[\w-]+\.ts$/;

/**
 * The widget's chat frame shows only some namespaces of the apps' catalogue (web/common/i18n/locales/): in the
 * frame's build every other namespace (`agent`, `admin`) is left out of the catalogue modules, so the frame does
 * not carry the staff apps' ~900 texts. A text of a left-out namespace that still reaches the frame's code would
 * show its key to visitors: the build fails instead, naming it.
 */
export function frameCatalogue(keep: readonly string[]): Plugin {
  const dropped = new Set<string>();
  return {
    name: 'parley-frame-catalogue',
    enforce: 'post',
    transform(code, id) {
      if (!CATALOGUE.test(id.split('?')[0])) return null;
      const ast = this.parse(code) as unknown as Node;
      const cuts: Array<[number, number]> = [];
      for (const statement of ast.body as Node[]) {
        const declaration = statement.type === 'ExportNamedDeclaration' ? (statement.declaration as Node | null) : statement;
        if (declaration?.type !== 'VariableDeclaration') continue;
        for (const d of declaration.declarations as Node[]) {
          const init = d.init as Node | null;
          if (init?.type !== 'ObjectExpression') continue;
          for (const p of init.properties as Node[]) {
            const key = p.key as Node | undefined;
            const name = key ? (key.name ?? key.value) : undefined;
            if (p.type !== 'Property' || typeof name !== 'string' || keep.includes(name)) continue;
            dropped.add(name);
            cuts.push([(p.value as Node).start, (p.value as Node).end]);
          }
        }
      }
      if (cuts.length === 0) return null;
      let out = '';
      let at = 0;
      for (const [start, end] of cuts) {
        out += `${code.slice(at, start)}{}`;
        at = end;
      }
      return { code: out + code.slice(at), map: null };
    },
    generateBundle(_options, bundle) {
      if (dropped.size === 0) return;
      const key = new RegExp(`['"\`](?:${[...dropped].join('|')})\\.[A-Za-z]`, 'g');
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const found = [...chunk.code.matchAll(key)].map((m) => chunk.code.slice(m.index, m.index + 40));
        if (found.length > 0) this.error(`${chunk.fileName} uses texts the frame leaves out: ${[...new Set(found)].join(', ')} (move them to a kept namespace: ${keep.join(', ')})`);
      }
    },
  };
}
