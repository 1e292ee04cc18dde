// Import resolver for eslint-plugin-boundaries (eslint-module-utils interface v2). It maps the repository's
// local imports to files: NodeNext `./x.js` → `./x.ts`, and the web apps' extensionless bundler imports →
// `.ts`, `.vue` or `index.ts`. Packages resolve the Node way; a package that does not resolve from CommonJS
// counts as not found, which the boundaries rule ignores (it only checks local files).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

const EXTENSIONS = ['.ts', '.vue', '.d.ts', '.js'];

function isFile(candidate) {
  try {
    return fs.statSync(candidate).isFile();
  } catch {
    return false;
  }
}

exports.interfaceVersion = 2;

exports.resolve = function resolve(source, file) {
  if (source.startsWith('node:') || builtinModules.includes(source)) return { found: true, path: null };
  if (!source.startsWith('.') && !path.isAbsolute(source)) {
    try {
      return { found: true, path: require.resolve(source, { paths: [path.dirname(file)] }) };
    } catch {
      return { found: false };
    }
  }
  const base = path.resolve(path.dirname(file), source);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`)),
  ];
  const found = candidates.find(isFile);
  return found ? { found: true, path: found } : { found: false };
};
