import { type CanActivate, type ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DeploymentConfig } from '../config/app-config';
import { SERVED_BY_WORKERS } from './served-by-workers.decorator';

/**
 * The first global guard: a `ROLE=worker` process serves only the routes marked
 * `@ServedByWorkers()` (health, readiness, metrics) and answers 404 to the others, as to an
 * unknown route, before anyone is asked to sign in.
 */
@Injectable()
export class WorkerRoutesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly deployment: DeploymentConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.deployment.role !== 'worker') return true;
    if (this.reflector.getAllAndOverride<boolean>(SERVED_BY_WORKERS, [context.getClass()])) return true;
    const { method, originalUrl } = context.switchToHttp().getRequest<Request>();
    throw new NotFoundException(`Cannot ${method} ${originalUrl.split('?')[0]}: this process is a worker`);
  }
}
