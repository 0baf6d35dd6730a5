// One gate for node and web code. The rule that matters most here: the engine never
// imports `electron` — it must run headless under plain Node (DESIGN.md §1).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'data/',
      'coverage/',
      'test-results/',
      'renderer/**/*.svelte',
      // Deliberately broken jobs.yaml files and handler modules (syntax errors among them).
      'test/fixtures/configs/corpus/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: [
      'electron/engine/**/*.ts',
      'electron/cli/**/*.ts',
      'electron/server/**/*.ts',
      'workers/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The engine runs headless: never import electron here.' },
          ],
          patterns: [
            {
              group: ['**/electron/main/**', '**/electron/preload/**'],
              message: 'The engine must not depend on the Electron shell.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // The contract and its types are node-free on purpose (tsconfig.web.json checks it).
              regex: '^node:|/electron/(?!engine/api/(contract|types|contentTypes)\\.ts$)',
              message: 'The renderer is a view: it talks to the engine only through ApiClient.',
            },
          ],
        },
      ],
    },
  },
);
