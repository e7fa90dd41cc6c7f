import { v1OneModelFailedResponse, v1TwoModelsResponse } from './__fixtures__/straico-responses';
import { shaping, straicoTools as tools } from '../testing/straico-response.fixtures';
import { fromStraicoPromptV1Response } from './straico-response.mapper';

describe('fromStraicoPromptV1Response', () => {
  it("should fail with Straico's reason when every model failed", () => {
    const body = { data: { completions: { 'a/b': { completion: { error: 'model is down' } } } } };
    expect(() => fromStraicoPromptV1Response(body, shaping())).toThrow(
      'Straico failed: model is down',
    );
  });

  it('should turn each entry of the completions map into a choice', () => {
    // §4.3 Example B.
    const answer = fromStraicoPromptV1Response(v1TwoModelsResponse(), shaping());
    const { completion } = answer;
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toBe('gen-AAAA');
    expect(completion.model).toBe('anthropic/claude-3-haiku:beta');
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'universe, cosmos, ...', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
      {
        index: 1,
        message: { role: 'assistant', content: 'universe, existence, ...', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
  });

  it('should sum token usage over models and report the overall price and words', () => {
    const answer = fromStraicoPromptV1Response(v1TwoModelsResponse(), shaping());
    expect(answer.completion.usage).toEqual({
      prompt_tokens: 11122 + 10364,
      completion_tokens: 136 + 40,
      total_tokens: 11258 + 10404,
      straico: {
        coins: 115.61,
        price: { input: 114.36, output: 1.25, total: 115.61 },
        words: { input: 11436, output: 125, total: 11561 },
      },
    });
    expect(answer.coins).toBe(115.61);
  });

  it('should skip entries whose completion is an error', () => {
    // §4.2/§8: one model failing leaves `completion: {error}` in an otherwise 201 answer.
    const answer = fromStraicoPromptV1Response(v1OneModelFailedResponse(), shaping());
    expect(answer.completion.choices).toHaveLength(1);
    expect(answer.completion.choices[0].index).toBe(0);
    expect(answer.completion.choices[0].message.content).toBe('universe, existence, ...');
    expect(answer.completion.model).toBe('gpt-3.5-turbo-0125');
    expect(answer.completion.usage).toMatchObject({
      prompt_tokens: 10364,
      completion_tokens: 40,
      total_tokens: 10404,
    });
  });

  it('should use the map key as model when the completion does not name one', () => {
    const body = v1TwoModelsResponse();
    delete body.data!.completions!['anthropic/claude-3-haiku:beta'].completion!.model;
    const answer = fromStraicoPromptV1Response(body, shaping());
    expect(answer.completion.model).toBe('anthropic/claude-3-haiku:beta');
  });

  it('should return the smart selector justification', () => {
    const body = v1TwoModelsResponse();
    body.data!.model_selector_justification = 'Picked the cheapest capable models.';
    const answer = fromStraicoPromptV1Response(body, shaping({ requestedModel: 'auto' }));
    expect(answer.selectionReason).toBe('Picked the cheapest capable models.');
  });

  it('should read tool calls in v1 answers too', () => {
    const body = v1TwoModelsResponse();
    delete body.data!.completions!['openai/gpt-3.5-turbo-0125'];
    body.data!.completions!['anthropic/claude-3-haiku:beta'].completion!.choices![0].message = {
      role: 'assistant',
      content: '```json\n{"tool_calls":[{"name":"get_time","arguments":{}}]}\n```',
    };
    const answer = fromStraicoPromptV1Response(body, shaping({ tools }));
    expect(answer.completion.choices[0].finish_reason).toBe('tool_calls');
    expect(answer.completion.choices[0].message.tool_calls).toEqual([
      expect.objectContaining({
        type: 'function',
        function: { name: 'get_time', arguments: '{}' },
      }),
    ]);
  });
});
