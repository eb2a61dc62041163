import regexp from 'eslint-plugin-regexp';
import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  // Issue text is untrusted: a pattern that backtracks super-linearly lets one issue stall the event loop.
  {
    ...regexp.configs['flat/recommended'],
    files: ['**/*.ts'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': [
        'error',
        { report: 'potential', ignorePartial: false, ignoreSticky: false },
      ],
    },
  },
];
