import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ServedByWorkers } from '../roles/served-by-workers.decorator';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { Public } from '../auth/public.decorator';
import { MetricsAccessGuard } from './metrics-access.guard';

// Not open: the global sign-in guard steps aside for MetricsAccessGuard, which also takes the scraper's token.
@Public()
@UseGuards(MetricsAccessGuard)
@ApiTags('metrics')
@ApiBearerAuth()
@ApiCookieAuth()
@ServedByWorkers()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @ApiOperation({
    summary:
      'Prometheus metrics: a signed-in user, or a scraper sending Authorization: Bearer <METRICS_TOKEN>',
    description: 'Runs, events, tokens, streams and GitHub requests, in the text exposition format.',
  })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'The text exposition format', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'Neither signed in nor the metrics token' })
  async scrape(@Res() response: Response): Promise<void> {
    // Not through Express's send(), which rewrites the content type with its parameters reordered.
    response.setHeader('Content-Type', this.registry.contentType).end(await this.registry.metrics());
  }
}
