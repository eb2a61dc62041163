import type { PastedIssue, StartRunRequest } from '@issuecast/workflows-api';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { REPOSITORY_PATTERN } from '../../github/repository-name';

/** Optional, but `null` is a wrong value, not an absent one (`@IsOptional()` would let it through). */
const IsOptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

/** An issue pasted in, for when GitHub is out of reach. */
export class PastedIssueDto implements PastedIssue {
  @ApiProperty({ maxLength: 256, example: 'Crash when saving a draft' })
  @IsString()
  @IsNotEmpty()
  @Matches(/\S/, { message: '$property must not be blank' })
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
export class StartCommentOnIssueDto implements StartRunRequest {
  @ApiPropertyOptional({ example: 'octo-org/octo-repo', description: '`owner/name` of the repository.' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(REPOSITORY_PATTERN, { message: 'repository must look like owner/name' })
  repository?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 2_147_483_647, example: 42 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  issueNumber?: number;

  @ApiPropertyOptional({ type: PastedIssueDto })
  @IsOptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => PastedIssueDto)
  issue?: PastedIssueDto;

  @ApiPropertyOptional({
    default: false,
    description:
      'Post the comment on the GitHub issue as soon as it is drafted; only with `repository` and `issueNumber`.',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  postToGitHub?: boolean;
}
