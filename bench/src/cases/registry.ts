// Every case `npm run bench` knows, in the order it runs them. A new case: its own file beside these, listed here.
import { appendRate } from './append-rate.ts';
import type { BenchCase } from './bench-case.ts';
import { fanOut } from './fan-out.ts';
import { latency } from './latency.ts';
import { openStreams } from './open-streams.ts';
import { resume } from './resume.ts';
import { retention } from './retention.ts';

export const CASES: readonly BenchCase[] = [fanOut, openStreams, latency, resume, retention, appendRate];
