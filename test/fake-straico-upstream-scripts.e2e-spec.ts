import { StraicoScriptedReply } from './fakes/fake-straico-upstream';
import { json, KEY, useFakeStraico } from './support/fake-straico-client';

describe('fake Straico upstream', () => {
  const straico = useFakeStraico();
  const { call, post, chat } = straico;

  describe('scripted replies', () => {
    it('should play a scripted 500 with a string error, then answer normally', async () => {
      const error =
        "Warning: It seems we couldn't process your request this time... Excessively large context for the LLM (context length: 123456) ...";
      straico.fake.enqueue({ status: 500, body: { error, success: false } });
      const failed = await chat();
      expect(failed.status).toBe(500);
      expect(await json(failed)).toEqual({ error, success: false });
      expect((await chat()).status).toBe(201);
    });

    it('should play a scripted 500 with an object error', async () => {
      straico.fake.enqueue({ status: 500, body: { error: { message: 'boom' }, success: false } });
      const response = await post('/v0/prompt/completion', {
        model: 'openai/gpt-4o-mini',
        message: 'Hi',
      });
      expect(response.status).toBe(500);
      expect((await json(response)).error).toEqual({ message: 'boom' });
    });

    it('should play a scripted 429 with a retry-after header', async () => {
      straico.fake.enqueue({ status: 429, headers: { 'retry-after': '2' } });
      const response = await chat();
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await json(response)).toEqual({ error: 'Scripted failure', success: false });
    });

    it('should not consume a scripted reply on a request that fails validation', async () => {
      straico.fake.enqueue({ status: 503 });
      expect((await chat({ stream: true })).status).toBe(400);
      expect((await chat()).status).toBe(503);
    });

    it('should answer normally after a scripted delay', async () => {
      straico.fake.enqueue({ delayMs: 300 });
      const started = Date.now();
      const response = await chat();
      expect(response.status).toBe(201);
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    });

    it('should override content, reasoning, finish reason and model', async () => {
      const reply: StraicoScriptedReply = {
        content: '',
        reasoning: 'thinking it through',
        finishReason: 'max_tokens',
        model: 'openai/o4-mini-2025-04-16',
      };
      straico.fake.enqueue(reply);
      const body = await json(await chat({ model: 'openai/o4-mini' }));
      expect(body.model).toBe('openai/o4-mini-2025-04-16');
      expect(body.choices[0]).toMatchObject({
        message: { content: '', reasoning: 'thinking it through' },
        finish_reason: 'max_tokens',
        native_finish_reason: 'max_tokens',
      });
      expect(body.words.output).toBe(3);
    });

    it('should override the selector justification', async () => {
      straico.fake.enqueue({ justification: 'Because.\nReally.' });
      const body = await json(
        await post('/v2/chat/completions', {
          smart_llm_selector: 'balance',
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      );
      expect(body.model_selector_justification).toBe('Because.\nReally.');
    });

    it('should fail a single v1 model with modelErrors', async () => {
      straico.fake.enqueue({ modelErrors: { 'openai/gpt-4o-mini': 'Model unavailable' } });
      const { data } = await json(
        await post('/v1/prompt/completion', {
          models: ['openai/gpt-4o-mini', 'openai/o4-mini'],
          message: 'Hi',
        }),
      );
      expect(data.completions['openai/gpt-4o-mini'].completion).toEqual({
        error: 'Model unavailable',
      });
      expect(data.completions['openai/o4-mini'].completion.object).toBe('chat.completion');
    });

    it('should drop the connection when asked to', async () => {
      straico.fake.enqueue({ drop: true });
      await expect(chat()).rejects.toThrow();
    });

    it('should hang and record the client abort', async () => {
      straico.fake.enqueue({ hang: true });
      const controller = new AbortController();
      const pending = call(
        'POST',
        '/v2/chat/completions',
        { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
        { authorization: `Bearer ${KEY}` },
        controller.signal,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort();
      await expect(pending).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(straico.fake.chatRequests()[0].aborted).toBe(true);
    });

    it('should play scripted replies on GET endpoints with enqueueGet', async () => {
      straico.fake.enqueueGet({ status: 503 });
      expect((await call('GET', '/v2/models')).status).toBe(503);
      expect((await call('GET', '/v2/models')).status).toBe(200);
    });

    it('should record requests with method, path, headers and body', async () => {
      await chat();
      expect(straico.fake.requests).toHaveLength(1);
      expect(straico.fake.requests[0]).toMatchObject({
        method: 'POST',
        path: '/v2/chat/completions',
        body: { model: 'openai/gpt-4o-mini' },
        aborted: false,
      });
      expect(straico.fake.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    });
  });
});
