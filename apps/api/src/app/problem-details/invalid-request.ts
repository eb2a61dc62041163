import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldError } from './problem-details';

/**
 * The global `ValidationPipe`'s refusal: each message with the field it names (`issue.title`),
 * the messages worded as Nest's own pipe words them.
 */
export function invalidRequestOf(validationErrors: ValidationError[]): BadRequestException {
  const errors = validationErrors.flatMap((error) => fieldErrorsOf(error));
  return new BadRequestException({ message: errors.map(({ message }) => message), errors });
}

function fieldErrorsOf(error: ValidationError, parentPath?: string): FieldError[] {
  const field = parentPath ? `${parentPath}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) => ({
    field,
    message: parentPath ? `${parentPath}.${message}` : message,
  }));
  return [...own, ...(error.children ?? []).flatMap((child) => fieldErrorsOf(child, field))];
}
