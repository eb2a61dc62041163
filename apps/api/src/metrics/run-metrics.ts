import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  initialRunView,
  isTerminalEvent,
  reduceRunView,
  type WorkflowEvent,
} from '@issuecast/workflow-events';
import { Counter, Histogram, Registry } from 'prom-client';
import type { LoggedEvent } from '../event-log/logged-event';
import { WORKFLOW_EVENT } from '../event-log/workflow-event-channel';

/** The steps a run enters right before it asks the model for the comment. */
const MODEL_ASKED_STEPS: ReadonlySet<string> = new Set(['reading_repository', 'drafting']);

/** What is remembered of a run until its terminal event. */
interface RunTimes {
  startedAt: number;
  modelAskedAt?: number;
  firstTokenSeen: boolean;
}

/**
 * Runs, their events and the model's tokens, counted from the events every run publishes on the
 * bus: the workflow knows nothing of metrics.
 */
@Injectable()
export class RunMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly runsStarted: Counter;
  private readonly runsFinished: Counter<'outcome' | 'code'>;
  private readonly runDuration: Histogram<'outcome'>;
  private readonly events: Counter<'type'>;
  private readonly timeToFirstToken: Histogram;
  private readonly deltas: Counter;
  private readonly tokens: Counter<'kind' | 'model'>;
  private readonly runs = new Map<string, RunTimes>();
  private readonly onBusEvent = (name: string | string[], entry: unknown) => {
    if (typeof name === 'string' && name.startsWith(`${WORKFLOW_EVENT}.`)) {
      this.count((entry as LoggedEvent).event);
    }
  };

  constructor(
    private readonly bus: EventEmitter2,
    registry: Registry,
  ) {
    const registers = [registry];
    this.runsStarted = new Counter({
      name: 'issuecast_runs_started_total',
      help: 'Runs started',
      registers,
    });
    this.runsFinished = new Counter({
      name: 'issuecast_runs_finished_total',
      help: 'Runs finished, by outcome (completed, failed, cancelled) and error code',
      labelNames: ['outcome', 'code'],
      registers,
    });
    this.runDuration = new Histogram({
      name: 'issuecast_run_duration_seconds',
      help: 'From a run’s start to its terminal event, by outcome',
      labelNames: ['outcome'],
      buckets: [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600],
      registers,
    });
    this.events = new Counter({
      name: 'issuecast_events_total',
      help: 'Workflow events emitted, by type',
      labelNames: ['type'],
      registers,
    });
    this.timeToFirstToken = new Histogram({
      name: 'issuecast_llm_time_to_first_token_seconds',
      help: 'From asking the model (the reading_repository or drafting step) to the first text of its answer',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60],
      registers,
    });
    this.deltas = new Counter({
      name: 'issuecast_llm_deltas_total',
      help: 'Text deltas of the model’s answers streamed (llm_response events)',
      registers,
    });
    this.tokens = new Counter({
      name: 'issuecast_llm_tokens_total',
      help: 'Tokens of completed runs as the model counted them, by kind (prompt, completion) and model',
      labelNames: ['kind', 'model'],
      registers,
    });
  }

  onModuleInit(): void {
    this.bus.onAny(this.onBusEvent);
  }

  onModuleDestroy(): void {
    this.bus.offAny(this.onBusEvent);
  }

  private count(event: WorkflowEvent): void {
    this.events.inc({ type: event.type });
    const at = Date.parse(event.timestamp);
    if (event.id === 1) {
      this.runsStarted.inc();
      this.runs.set(event.workflowId, { startedAt: at, firstTokenSeen: false });
    }
    const run = this.runs.get(event.workflowId);
    if (!run) return;
    if (event.type === 'status' && run.modelAskedAt === undefined && MODEL_ASKED_STEPS.has(event.data.step)) {
      run.modelAskedAt = at;
    }
    if (event.type === 'llm_response') {
      this.deltas.inc();
      if (!run.firstTokenSeen) {
        run.firstTokenSeen = true;
        this.timeToFirstToken.observe(seconds(at - (run.modelAskedAt ?? run.startedAt)));
      }
    }
    if (event.type === 'complete' && event.data.usage) {
      const { model, promptTokens, completionTokens } = event.data.usage;
      this.tokens.inc({ kind: 'prompt', model }, promptTokens);
      this.tokens.inc({ kind: 'completion', model }, completionTokens);
    }
    if (isTerminalEvent(event)) {
      const outcome = reduceRunView(initialRunView, event).state;
      this.runsFinished.inc(event.type === 'error' ? { outcome, code: event.data.code } : { outcome });
      this.runDuration.observe({ outcome }, seconds(at - run.startedAt));
      this.runs.delete(event.workflowId);
    }
  }
}

function seconds(milliseconds: number): number {
  return Math.max(0, milliseconds) / 1000;
}
