import 'reflect-metadata';

import { ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { ChatCompletionRequestDto } from '../../completions/dto/chat-completion-request.dto';
import { GatewayException } from '../errors/gateway.exception';
import { createOpenAiValidationPipe, firstProblem } from './openai-validation.pipe';

type Body = Record<string, unknown>;

const metadata: ArgumentMetadata = { type: 'body', metatype: ChatCompletionRequestDto };

function messages(count: number, broken: Record<number, unknown> = {}): unknown[] {
  return Array.from({ length: count }, (_, index) =>
    index in broken ? broken[index] : { role: index % 2 ? 'assistant' : 'user', content: 'x' },
  );
}

/** What one class-validator pass over the whole body reports first. */
function singlePass(body: Body): { param: string; message: string } | undefined {
  const problem = firstProblem(validateSync(plainToInstance(ChatCompletionRequestDto, body)));
  return (
    problem && { param: problem.param, message: `Invalid '${problem.param}': ${problem.message}` }
  );
}

async function piped(body: Body): Promise<{ param: string | null; message: string } | undefined> {
  try {
    await createOpenAiValidationPipe().transform(body, metadata);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayException);
    const { param, message } = (error as GatewayException).body;
    return { param, message };
  }
}

describe('OpenAiValidationPipe on bodies with long arrays (validated in slices)', () => {
  const badRole = { role: 'robot', content: 'x' };
  it.each<[string, Body, string | undefined]>([
    ['a valid body', { model: 'gpt-4o-mini', messages: messages(2048) }, undefined],
    [
      'a bad message in a later slice',
      { model: 'gpt-4o-mini', messages: messages(600, { 300: badRole }) },
      'messages[300].role',
    ],
    [
      'bad messages in the first and the last slice',
      { model: 'gpt-4o-mini', messages: messages(600, { 2: badRole, 599: badRole }) },
      'messages[2].role',
    ],
    [
      'a bad message in a later slice and a bad field declared after messages',
      { model: 'gpt-4o-mini', messages: messages(600, { 450: badRole }), temperature: 9 },
      'messages[450].role',
    ],
    [
      'a bad message in a later slice and a bad field declared before messages',
      { model: 'gpt\u0000', messages: messages(600, { 450: badRole }) },
      'model',
    ],
    [
      'a message that is not an object in a later slice',
      { model: 'gpt-4o-mini', messages: messages(600, { 400: 'hello' }) },
      'messages[400]',
    ],
  ])('should answer %s as one pass over the whole body does', async (_, body, param) => {
    const expected = singlePass(body);
    expect(expected?.param).toBe(param);
    expect(await piped(body)).toEqual(expected);
  });

  it('should let the event loop run between slices of a long array, and not for a short one', async () => {
    const pipe = createOpenAiValidationPipe();
    const ranBefore = async (body: Body): Promise<boolean> => {
      const validated = pipe.transform(body, metadata);
      let ran = false;
      setImmediate(() => (ran = true));
      await validated;
      return ran;
    };
    expect(await ranBefore({ model: 'gpt-4o-mini', messages: messages(2048) })).toBe(true);
    expect(await ranBefore({ model: 'gpt-4o-mini', messages: messages(200) })).toBe(false);
  });
});
