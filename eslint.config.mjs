// Lint rules that catch real bugs here: forgotten awaits, and I/O in deterministic workflow code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]).filter((m) => m !== 'assert');

/**
 * The folder arrows (docs/architecture.md): which top-level folders each folder may import.
 * `workflows/contracts` is the only part of workflows/ that others import; workflows may import
 * activity *types* (their contracts are derived from the implementations).
 */
const FOLDERS = [
  'domain',
  'platform',
  'workflows',
  'activities',
  'audit',
  'api',
  'worker',
  'scripts',
  'simulator',
  'web',
];
const ARROWS = {
  domain: { may: [] },
  platform: { may: ['domain'] },
  workflows: { may: ['domain', 'workflows'], types: ['activities'] },
  activities: { may: ['domain', 'platform', 'workflows/contracts'] },
  audit: { may: ['domain', 'platform', 'workflows/contracts'] },
  api: { may: ['domain', 'platform', 'audit', 'workflows/contracts'] },
  worker: { may: ['domain', 'platform', 'activities', 'audit', 'workflows'] },
};

/** A relative import reaching `folder` from anywhere below the project root. */
const reaching = (folder) => `^(\\.\\./)+${folder}(/|$)`;

function arrowRule(folder) {
  const { may, types = [] } = ARROWS[folder];
  const patterns = [];
  for (const other of FOLDERS) {
    if (other === folder || may.includes(other)) continue;
    if (other === 'workflows' && may.includes('workflows/contracts')) {
      patterns.push({
        regex: `^(\\.\\./)+workflows/(?!contracts/)`,
        message: `${folder}/ may import only workflows/contracts from workflows/ (docs/architecture.md).`,
      });
      continue;
    }
    patterns.push({
      regex: reaching(other),
      message: `${folder}/ may not import ${other}/ (docs/architecture.md): ${folder} → ${may.join(', ') || 'nothing of the project'}.`,
      ...(types.includes(other) ? { allowTypeImports: true } : {}),
    });
  }
  return {
    files: [`${folder}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.tools/',
      '.data/',
      'test-output/',
      'coverage/',
      '**/*.js',
      '!web/**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The back-office pages: plain ES modules run by the browser.
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'sessionStorage',
          'fetch',
          'URLSearchParams',
          'Node',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'URL',
          'Blob',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...Object.keys(ARROWS).map(arrowRule),
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'Workflow code must be deterministic: no Node built-ins.',
            })),
            { name: 'got', message: 'Workflow code does no I/O: call an activity.' },
            { name: 'pino', message: 'Use log from @temporalio/workflow.' },
          ],
        },
      ],
    },
  },
  {
    // The simulator plays the other side of the wire: it shares no code with the product, so a
    // bug on both sides (amounts, JSON, SIRETs) cannot hide from the tests.
    files: ['simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/domain/**',
                '**/domain',
                '**/activities/**',
                '**/workflows/**',
                '**/api/**',
                '**/platform/**',
              ],
              message: 'The simulator is independent of the product: write its own small version instead.',
            },
          ],
        },
      ],
    },
  },
);
