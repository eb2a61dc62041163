import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Counter, Registry } from 'prom-client';
import { GITHUB_REQUEST, type GitHubRequestEvent } from '../github/github-request-event';

/** GitHub's answers, by status, as the GitHub client reports each request (retries included). */
@Injectable()
export class GitHubRequestMetrics {
  private readonly requests: Counter<'status'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'issuecast_github_requests_total',
      help: 'HTTP requests to GitHub, each retry included, by status (no_answer: the network, a timeout, an abort)',
      labelNames: ['status'],
      registers: [registry],
    });
  }

  @OnEvent(GITHUB_REQUEST)
  count({ status }: GitHubRequestEvent): void {
    this.requests.inc({ status: status ?? 'no_answer' });
  }
}
