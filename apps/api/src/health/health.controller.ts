import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ServedByWorkers } from '../roles/served-by-workers.decorator';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness-indicator';
import { ShutdownIndicator } from './shutdown-indicator';

@Public()
@ApiTags('health')
@ServedByWorkers()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_INDICATORS) private readonly indicators: readonly ReadinessIndicator[],
    private readonly shutdown: ShutdownIndicator,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Liveness: answers while the process serves requests',
    description: 'No sign-in; for a process supervisor or load balancer.',
  })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  check(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: 200 while the server can take work, 503 naming the check that fails',
    description:
      'No sign-in. Down from the moment the server begins to stop, so a load balancer stops sending work.',
  })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: `detail` names the failing checks, `checks` lists them all.',
  })
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    if (this.shutdown.isShuttingDown) response.once('finish', () => this.shutdown.probeAnsweredDown());
    return this.health
      .check(this.indicators.map((indicator) => () => indicator.check()))
      .catch((error: unknown) => {
        throw notReadyOf(error);
      });
  }
}

/** Terminus's 503 as problem details: the failing checks named in `detail`, every check in `checks`. */
function notReadyOf(error: unknown): unknown {
  if (!(error instanceof ServiceUnavailableException)) return error;
  const { error: failing = {}, details } = error.getResponse() as HealthCheckResult;
  const reasons = Object.entries(failing).map(([name, result]) => {
    const message: unknown = result?.message;
    return typeof message === 'string' ? `${name} (${message})` : name;
  });
  return new ServiceUnavailableException({ message: `Not ready: ${reasons.join(', ')}`, checks: details });
}
