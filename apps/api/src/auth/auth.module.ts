import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuthConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { LocalStrategy } from './local.strategy';
import { OidcDiscovery } from './oidc/oidc-discovery';
import { OidcSignIn } from './oidc/oidc-sign-in.service';
import { OidcController } from './oidc/oidc.controller';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [AuthConfig],
      useFactory: (auth: AuthConfig) => ({
        secret: auth.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: auth.tokenTtlSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, OidcController],
  providers: [AuthService, LocalStrategy, JwtStrategy, OidcDiscovery, OidcSignIn],
  exports: [AuthService, OidcDiscovery],
})
export class AuthModule {}
