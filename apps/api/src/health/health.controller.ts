import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness-indicator';
import { ShutdownIndicator } from './shutdown-indicator';

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_INDICATORS) private readonly indicators: readonly ReadinessIndicator[],
    private readonly shutdown: ShutdownIndicator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: answers while the process serves requests' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  check(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 200 while the server can take work, 503 naming the check that fails' })
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    if (this.shutdown.isShuttingDown) response.once('finish', () => this.shutdown.probeAnsweredDown());
    return this.health.check(this.indicators.map((indicator) => () => indicator.check()));
  }
}
