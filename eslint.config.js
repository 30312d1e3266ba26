// ESLint: typescript-eslint's strict, type-checked rules over the TypeScript of the app, the
// command line, the tools and the tests; the recommended rules over the plain JavaScript scripts.
// `npm test` fails on any error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = {
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  TextEncoder: 'readonly',
  TextDecoder: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  fetch: 'readonly',
};

export default tseslint.config(
  // The build configurations are read by Vite and Vitest, outside the two TypeScript projects.
  { ignores: ['dist/', 'dist-node/', 'dist-tools/', 'public/', 'node_modules/', '.gpu/', 'vite*.config.ts', 'vitest.config.ts'] },
  { files: ['**/*.mjs', '**/*.js'], ...js.configs.recommended, languageOptions: { globals: node } },
  ...[js.configs.recommended, ...tseslint.configs.strictTypeChecked].map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './tsconfig.node.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // With noUncheckedIndexedAccess, `!` is how an index known to be in range is said.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Abort reasons and kept failures are `any`/`unknown` by the platform's own types, and are what is thrown.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // The DOM's types say every API is there (navigator.locks, clipboard, webkitGetAsEntry) and parsed
      // JSON is typed as what it should be: the checks this rule calls needless are the ones that matter.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      'prefer-const': ['error', { destructuring: 'all' }],
      // An async method with no await is how an interface's Promise is kept (a throw becomes a rejection).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // lit binds `this` of event listeners in templates (@click=${this.onClick}) to the element.
    files: ['src/app/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
);
