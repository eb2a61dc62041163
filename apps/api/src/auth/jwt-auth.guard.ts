import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { AuthService } from './auth.service';
import { IS_PUBLIC } from './public.decorator';
import type { SignedInUser } from './signed-in-user';

/** The global guard: every route needs a signed-in user unless it is marked `@Public()`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic || this.authenticate(context);
  }

  /**
   * Passport's check of the session token (bearer or cookie), then whether its user is still one this
   * server knows and whether it was signed out of: sets `request.user`, or answers 401. Both are asked
   * here rather than in the strategy, which Passport keeps once per process; a store that fails answers
   * 500, never a sign-in again.
   */
  protected async authenticate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const user = context.switchToHttp().getRequest<Request>().user as SignedInUser;
    if (!this.auth.isKnown(user)) {
      throw new UnauthorizedException('The session token is not valid; sign in again');
    }
    if (await this.auth.isSignedOut(user.sessionId)) {
      throw new UnauthorizedException('This session was signed out; sign in again');
    }
    return true;
  }

  override handleRequest<User>(error: unknown, user: User | false, info: unknown): User {
    if (error) throw error instanceof Error ? error : new UnauthorizedException();
    if (user) return user;
    if (info instanceof Error && info.name === 'TokenExpiredError') {
      throw new UnauthorizedException('Your session has expired; sign in again');
    }
    if (info instanceof Error && info.message === 'No auth token') {
      throw new UnauthorizedException(
        'Sign in first: send the session cookie or an Authorization: Bearer token',
      );
    }
    throw new UnauthorizedException('The session token is not valid; sign in again');
  }
}
