import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';

/** The variables whose values never appear in a message. */
const secretVariables = new Set<string>();

/** An integer variable, read from its text, no less than `min` and, when given, no more than `max`. */
export function IntVariable({ min, max }: { min: number; max?: number }): PropertyDecorator {
  return allOf(
    Type(() => Number),
    IsInt(),
    Min(min),
    ...(max === undefined ? [] : [Max(max)]),
  );
}

/** `true` or `false`, in any case. */
export function BooleanVariable(): PropertyDecorator {
  return allOf(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^(?:true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value,
    ),
    IsBoolean({ message: 'must be true or false' }),
  );
}

/** A variable whose value a message about it shows as `(hidden)`. */
export function Secret(): PropertyDecorator {
  return (_prototype, variable) => void secretVariables.add(String(variable));
}

export function isSecret(variable: string): boolean {
  return secretVariables.has(variable);
}

function allOf(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (prototype, variable) => {
    for (const decorate of decorators) decorate(prototype, variable);
  };
}
