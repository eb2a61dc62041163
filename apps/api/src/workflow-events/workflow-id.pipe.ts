import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** Validates the `:workflowId` route parameter: 400 with a message naming it unless it is a UUID. */
export const workflowIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('workflowId must be a UUID'),
});
