import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/**
 * Builds a class-validator property decorator from one function that names the problem with a
 * value (`undefined` when it is valid). The message is `<property> <problem>`, like
 * class-validator's own (Nest's `ValidationPipe` shows it as is; our own issues strip the name
 * and print the path), unless `options.message` replaces it; messages never include the value.
 */
export function secpaidDecorator(
  name: string,
  problem: (value: unknown, object: object) => string | undefined,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          problem(value, args?.object ?? {}) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? String(propertyName)} ${problem(args?.value, args?.object ?? {}) ?? 'is invalid'}`,
      },
    });
  };
}
