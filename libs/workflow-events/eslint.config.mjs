import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      // The contract runs in the browser and in Node alike: no framework, no platform.
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', '@angular/*', 'node:*', 'rxjs', 'rxjs/*', 'express'] },
      ],
    },
  },
];
