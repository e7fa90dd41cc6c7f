import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

const PART_CHECKS = new Map<string, (part: Record<string, unknown>) => string | null>(
  Object.entries({
    text: (part) => (typeof part.text === 'string' ? null : 'a text part needs a string `text`'),
    image_url: (part) => {
      const image = part.image_url as Record<string, unknown> | undefined;
      return image && typeof image.url === 'string'
        ? null
        : 'an image_url part needs `image_url.url` as a string';
    },
    input_audio: (part) => {
      const audio = part.input_audio as Record<string, unknown> | undefined;
      return audio && typeof audio.data === 'string' && typeof audio.format === 'string'
        ? null
        : 'an input_audio part needs `input_audio.data` and `input_audio.format`';
    },
    file: (part) =>
      part.file && typeof part.file === 'object' ? null : 'a file part needs a `file` object',
    refusal: (part) =>
      typeof part.refusal === 'string' ? null : 'a refusal part needs a string `refusal`',
  }),
);

/** Why a message's content is invalid, or null when it is fine. */
export function contentProblem(content: unknown, message: Record<string, unknown>): string | null {
  if (typeof content === 'string') {
    return null;
  }
  if (content === null || content === undefined) {
    const mayOmit =
      message.role === 'assistant' &&
      (Array.isArray(message.tool_calls) || message.function_call !== undefined);
    return mayOmit || (message.role === 'assistant' && content === null)
      ? null
      : 'content is required and must be a string or an array of content parts';
  }
  if (!Array.isArray(content)) {
    return 'content must be a string or an array of content parts';
  }
  for (const [index, part] of content.entries()) {
    if (
      !part ||
      typeof part !== 'object' ||
      typeof (part as { type?: unknown }).type !== 'string'
    ) {
      return `content[${index}] must be an object with a string \`type\``;
    }
    const typed = part as Record<string, unknown>;
    const check = PART_CHECKS.get(typed.type as string);
    if (!check) {
      return `content[${index}].type \`${String(typed.type)}\` is not a known content part type`;
    }
    const problem = check(typed);
    if (problem) {
      return `content[${index}]: ${problem}`;
    }
  }
  return null;
}

export function IsMessageContent(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isMessageContent',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          contentProblem(value, args.object as Record<string, unknown>) === null,
        defaultMessage: (args: ValidationArguments) =>
          contentProblem(args.value, args.object as Record<string, unknown>) ?? 'invalid content',
      },
    });
  };
}
