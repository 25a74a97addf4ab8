// Lint (`npm run lint`: scripts/lint.mjs runs tsc's type check and this on one TypeScript program; part of
// `npm test` and CI): typescript-eslint's recommended rules plus the
// type-aware ones that catch real bugs in an async harness (a promise nobody awaits, a promise where a callback's
// boolean or void was expected, awaiting a non-promise) and keep imports honest (type-only imports say so), on
// every TypeScript file the project compiles (tsconfig.json, which also has noUncheckedIndexedAccess).
// ARCHITECTURE.md's import rules are enforced by test/architecture.test.ts.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/', '.geni-harness/', 'test/fixtures/', 'schemas/', '**/*.mjs', '**/*.js'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // A variable a closure reads before its single assignment (a request its own timeout handler destroys).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
);
