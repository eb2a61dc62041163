import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthService } from '../auth/auth.service';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { MetricsConfig } from '../config/app-config';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Lets a scraper in with `Authorization: Bearer <METRICS_TOKEN>`, and anyone else only as a signed-in
 * user (401 otherwise, a wrong token included). Tokens are compared as SHA-256 digests in constant
 * time, so neither their content nor their length shows in how long a refusal takes.
 */
@Injectable()
export class MetricsAccessGuard extends JwtAuthGuard {
  private readonly tokenDigest?: Buffer;

  constructor(reflector: Reflector, auth: AuthService, { token }: MetricsConfig) {
    super(reflector, auth);
    if (token) this.tokenDigest = digest(token);
  }

  override canActivate(context: ExecutionContext) {
    return this.isScraper(context.switchToHttp().getRequest<Request>()) || this.authenticate(context);
  }

  private isScraper(request: Request): boolean {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    return (
      token !== undefined &&
      this.tokenDigest !== undefined &&
      timingSafeEqual(digest(token), this.tokenDigest)
    );
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
