import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** For the shared libraries, which run in the browser and in Node alike: no framework, no platform. */
export const platformFree = {
  files: ['src/**/*.ts'],
  ignores: ['src/**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: ['@nestjs/*', '@angular/*', 'node:*', 'rxjs', 'rxjs/*', 'express'] },
    ],
  },
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/.angular', 'bench/results'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:api'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared', 'scope:web'] },
            // The bench drives the API over HTTP only: it imports no project.
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
    },
  },
  // Type-aware rules: floating promises, unsafe `any` and misused promises are bugs here.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      // Jest's asymmetric matchers (expect.any, expect.stringMatching …) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/jest.config.cts', '**/*.cjs', '**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
];
