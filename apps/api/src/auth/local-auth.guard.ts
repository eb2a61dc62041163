import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

/** Checks the credentials of a sign-in request. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {}
