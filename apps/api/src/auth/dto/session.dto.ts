import { ApiProperty } from '@nestjs/swagger';

export class UserDto {
  @ApiProperty({ example: 'demo' })
  username!: string;
}

/** What a sign-in answers; the browser also gets the same token in an HttpOnly cookie. */
export class SessionDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>` (services, scripts).' })
  token!: string;

  @ApiProperty({
    description: 'Echo in `X-CSRF-Token` on cookie-authenticated POSTs (also in a readable cookie).',
  })
  csrfToken!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class MeDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ format: 'date-time', description: 'When the sign-in ends.' })
  expiresAt!: string;
}
