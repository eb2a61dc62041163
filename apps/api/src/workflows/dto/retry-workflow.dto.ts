import { INSTRUCTIONS_MAX_LENGTH, type RetryRunRequest } from '@issuecast/workflows-api';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, ValidateIf } from 'class-validator';

/** Another take on the issue of a run, with what to do differently. */
export class RetryWorkflowDto implements RetryRunRequest {
  @ApiPropertyOptional({
    maxLength: INSTRUCTIONS_MAX_LENGTH,
    example: 'Shorter, and ask for the logs',
    description: 'What the comment should do differently; untrusted, like the issue.',
  })
  @ValidateIf((_object, value) => value !== undefined)
  @IsString()
  @MaxLength(INSTRUCTIONS_MAX_LENGTH)
  instructions?: string;
}
