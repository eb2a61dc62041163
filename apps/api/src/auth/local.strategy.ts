import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { AuthService } from './auth.service';

/** Sign-in with `{ username, password }`. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly auth: AuthService) {
    super();
  }

  validate(username: string, password: string): string {
    const user = this.auth.verify(username, password);
    if (!user) throw new UnauthorizedException('Wrong username or password');
    return user;
  }
}
