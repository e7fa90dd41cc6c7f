import OpenAI, { APIError } from 'openai';

import { failure, useStraicoGateway, ANSWER, MESSAGES, Params, PICKED } from './support/straico';

describe('Straico through the gateway (chat, mapping, auto, attachments)', () => {
  const booted = useStraicoGateway({ env: { STRAICO_RETRY_BASE_MS: '5' } });

  describe('auto model selection', () => {
    it.each([
      ['an omitted model', undefined, 'balance'],
      ['auto', 'auto', 'balance'],
      ['auto:quality', 'auto:quality', 'quality'],
      ['auto:budget', 'auto:budget', 'budget'],
    ] as const)(
      'should use the smart selector for %s',
      async (_name, model, method: keyof typeof PICKED) => {
        const params = { model, messages: MESSAGES } as Params;
        const { data: completion, response } = await booted.client.chat.completions
          .create(params)
          .withResponse();

        const [sent] = booted.straico.chatRequests();
        expect(sent.path).toBe('/v2/chat/completions');
        expect(sent.body).toEqual({ smart_llm_selector: method, messages: MESSAGES });
        expect(completion.model).toBe(PICKED[method]);
        expect(completion.choices[0].message.content).toBe(ANSWER);
        const reason = response.headers.get('x-gateway-selection-reason');
        // The fake's justification has two lines; the header carries one.
        expect(reason).toContain(`picked ${PICKED[method]} for the "${method}" pricing method.`);
        expect(reason).toContain('It offers the best fit');
        expect(reason).not.toMatch(/[\r\n]/);
        expect(reason!.length).toBeLessThanOrEqual(300);
        expect(response.headers.get('x-straico-coins')).toMatch(/^\d+(\.\d+)?$/);
        expect(response.headers.get('x-gateway-selected-model')).toBe(`straico/${PICKED[method]}`);
      },
    );

    it('should cut a long multi-line justification to one header line of at most 300 chars', async () => {
      booted.straico.enqueue({
        justification: `Because:\n${'very good model, '.repeat(40)}\r\nThe end.`,
      });
      const { response } = await booted.client.chat.completions
        .create({ model: 'auto', messages: MESSAGES })
        .withResponse();
      const reason = response.headers.get('x-gateway-selection-reason')!;
      expect(reason.startsWith('Because: very good model,')).toBe(true);
      expect(reason).not.toMatch(/[\r\n]/);
      expect(reason.length).toBeLessThanOrEqual(300);
      expect(booted.straico.chatRequests()[0].body.smart_llm_selector).toBe('balance');
    });

    it('should answer 400 for an unknown pricing method without calling Straico', async () => {
      const error = await failure(
        booted.client.chat.completions.create({ model: 'auto:cheapest', messages: MESSAGES }),
      );
      // A policy the gateway does not know is a bad value, whichever selector decides.
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, code: 'invalid_value', param: 'model' });
      expect((error as APIError).message).toContain('auto:balance');
      expect(booted.straico.chatRequests()).toHaveLength(0);
    });
  });
});
