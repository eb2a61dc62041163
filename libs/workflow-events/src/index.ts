export * from './lib/workflow-event';
export * from './lib/parse-workflow-event';
export * from './lib/run-view';
export * from './lib/sse-event-names';
