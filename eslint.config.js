// ESLint flat config for the whole repo: type-checked TypeScript rules, the dependency direction of STYLE.md
// (core <- io <- segment <- ui) as import-x zones, no import cycles, and React hook rules for the UI.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const cornerstoneOnlyInViewer = {
  name: 'cornerstone-core',
  message: 'cornerstone-core is used only inside src/ui/viewer/ (so a move to Cornerstone3D touches one folder).',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'training/node_modules/**',
      'public/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Every linted file is in a tsconfig (the root one includes scripts/ and bench/; training/ has its own).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ tsconfig: { configFile: './tsconfig.json' }, extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
      ],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/core',
              from: ['./src/io', './src/segment', './src/ui', './node_modules/@tensorflow'],
              message: 'src/core is pure TypeScript: no io, segment, ui or tfjs imports.',
            },
            {
              target: './src/io',
              from: ['./src/ui', './src/segment'],
              message: 'src/io may not depend on ui or segment.',
            },
            { target: './src/segment', from: './src/ui', message: 'src/segment may not depend on ui.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ui/viewer/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [cornerstoneOnlyInViewer] }] },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [cornerstoneOnlyInViewer],
          patterns: [{ group: ['@tensorflow/*'], message: 'src/core never imports tfjs.' }],
        },
      ],
    },
  },
  {
    ...reactHooks.configs.flat.recommended,
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
  },
  {
    // Plain JS (this file, small Node scripts): no type information, Node globals.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
);
