import { HttpException, HttpStatus, Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';

/**
 * Rate limits per signed-in user, or per IP before sign-in; past a limit, 429 with `Retry-After`.
 * Runs after the auth guard, so the user is known.
 */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { user, ip } = request as unknown as Request & { user?: { username: string } };
    return Promise.resolve(user ? `user:${user.username}` : `ip:${ip}`);
  }

  /**
   * One count per limit and caller, whichever of the limit's routes is called (the default counts
   * each route apart): a password sign-in and an OpenID Connect one draw on the same attempts.
   * Hashed, so that no address or user name is written to the storage as it is.
   */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return createHash('sha256').update(`${name}:${tracker}`).digest('hex');
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    { timeToBlockExpire }: ThrottlerLimitDetail,
  ): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(timeToBlockExpire));
    throw new HttpException(
      `Too many requests; try again in ${timeToBlockExpire} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
