import { type ExecutionContext, Injectable, ValidationPipe } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { LoginDto } from './dto/login.dto';

/**
 * Checks the credentials of a sign-in request. Guards run before pipes, so the body is validated
 * here first: a malformed sign-in is a 400 naming the field, not passport's bare 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  private readonly validation = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true });

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    await this.validation.transform(request.body, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }
}
