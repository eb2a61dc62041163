export * from './lib/run-snapshot';
export * from './lib/sign-in';
export * from './lib/start-run';
export * from './lib/workflow-urls';
