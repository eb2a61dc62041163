/** Import rules that lint enforces beyond Nx's project boundaries. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No two files import each other, directly or in a ring.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment: 'No two feature folders import each other, directly or in a ring.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Nothing imports a spec, so no spec closes a ring; leaving them out keeps the folder rule about the code.
    exclude: { path: '[.]spec[.]ts$' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};
