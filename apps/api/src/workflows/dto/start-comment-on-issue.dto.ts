import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const REPOSITORY_PATTERN = /^[\dA-Z][\dA-Z-]{0,38}\/[\w.-]{1,100}$/i;

/** An issue pasted in, for when GitHub is out of reach. */
export class PastedIssueDto {
  @ApiProperty({ maxLength: 256, example: 'Crash when saving a draft' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  title!: string;

  @ApiPropertyOptional({ maxLength: 65_536, description: 'Markdown, as on GitHub.' })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  body?: string;
}

/**
 * Starts a `commentOnIssue` run: a GitHub issue (`repository` + `issueNumber`) or a pasted `issue`
 * (with `repository`, the model may read that repository's code).
 */
export class StartCommentOnIssueDto {
  @ApiPropertyOptional({ example: 'octo-org/octo-repo', description: '`owner/name` of the repository.' })
  @IsOptional()
  @IsString()
  @Matches(REPOSITORY_PATTERN, { message: 'repository must look like owner/name' })
  repository?: string;

  @ApiPropertyOptional({ minimum: 1, example: 42 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  issueNumber?: number;

  @ApiPropertyOptional({ type: PastedIssueDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PastedIssueDto)
  issue?: PastedIssueDto;

  @ApiPropertyOptional({
    default: false,
    description:
      'Post the comment on the GitHub issue as soon as it is drafted; only with `repository` and `issueNumber`.',
  })
  @IsOptional()
  @IsBoolean()
  postToGitHub?: boolean;
}
