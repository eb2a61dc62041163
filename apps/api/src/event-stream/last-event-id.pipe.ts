import {
  BadRequestException,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';
import type { Request } from 'express';

/** The raw `Last-Event-ID` request header; `@Headers()` takes no pipes, a param decorator does. */
export const LastEventIdHeader = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<Request>().headers['last-event-id'],
);

/** An event id as the header and the query spell it: plain decimal digits, nothing else. */
export const EVENT_ID_PATTERN = /^\d{1,15}$/;

/** Parses the `Last-Event-ID` header: absent, or a non-negative integer. */
@Injectable()
export class LastEventIdPipe implements PipeTransform<string | undefined, number | undefined> {
  transform(value: string | undefined): number | undefined {
    if (value === undefined || value.trim() === '') return undefined;
    if (!EVENT_ID_PATTERN.test(value.trim())) {
      throw new BadRequestException('Last-Event-ID must be a non-negative integer');
    }
    return Number(value);
  }
}
