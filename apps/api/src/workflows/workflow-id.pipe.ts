import { BadRequestException, Injectable, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';

const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('workflowId must be a UUID'),
});

/**
 * Validates the `:workflowId` route parameter: 400 with a message naming it unless it is a UUID. A UUID's
 * hex digits are case-insensitive and runs are stored under the lower-case form, so `A…` and `a…` are one run.
 */
@Injectable()
class WorkflowIdPipe implements PipeTransform<string, Promise<string>> {
  async transform(value: string): Promise<string> {
    return (await uuidPipe.transform(value, { type: 'param' })).toLowerCase();
  }
}

export const workflowIdPipe = new WorkflowIdPipe();
