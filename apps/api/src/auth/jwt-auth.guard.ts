import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from './public.decorator';

/** The global guard: every route needs a signed-in user unless it is marked `@Public()`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic || this.authenticate(context);
  }

  /** Passport's check of the session token (bearer or cookie): sets `request.user`, or answers 401. */
  protected authenticate(context: ExecutionContext) {
    return super.canActivate(context);
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
