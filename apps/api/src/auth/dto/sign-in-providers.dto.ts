import type { SignedOut, SignInProviders } from '@issuecast/workflows-api';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class OidcProviderDto {
  @ApiProperty({ example: 'SSO', description: 'The sign-in button reads `Sign in with <name>`.' })
  name!: string;

  @ApiProperty({ example: '/api/auth/oidc/login', description: 'Where the button goes, with `?returnTo=`.' })
  loginUrl!: string;
}

export class SignInProvidersDto implements SignInProviders {
  @ApiProperty({ description: 'Whether `POST /api/auth/login` has users to sign in.' })
  password!: boolean;

  @ApiPropertyOptional({ type: OidcProviderDto, description: 'Present when OpenID Connect is configured.' })
  oidc?: OidcProviderDto;
}

export class SignedOutDto implements SignedOut {
  @ApiProperty({
    format: 'uri',
    description:
      'The OpenID Provider’s end-session URL: the browser goes there to sign out of the provider too.',
  })
  endSessionUrl!: string;
}
