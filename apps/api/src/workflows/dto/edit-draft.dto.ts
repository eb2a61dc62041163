import { DRAFT_MAX_LENGTH, type EditDraftRequest } from '@issuecast/workflows-api';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** The comment to post instead of the model's. */
export class EditDraftDto implements EditDraftRequest {
  @ApiProperty({ maxLength: DRAFT_MAX_LENGTH, description: 'Markdown, as on GitHub.' })
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(DRAFT_MAX_LENGTH)
  draft!: string;
}
