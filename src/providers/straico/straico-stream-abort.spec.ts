import { deferred } from '../../common/testing/deferred';
import { ProviderException } from '../../common/errors/provider.exception';
import { ChatCompletion } from '../chat.types';
import { emulateStream } from './straico-stream';

import { consume, options, sleep, textCompletion } from '../testing/straico-stream.fixtures';

// §1 / §9: Straico cannot stream; the stream is emulated around its single answer, with
// keep-alive chunks while it works (RKP's heartbeat technique).

describe('emulateStream', () => {
  it('should stop at once when the client left while the stream was paused at a chunk', async () => {
    const controller = new AbortController();
    const stream = emulateStream(new Promise<ChatCompletion>(() => undefined), {
      ...options(),
      signal: controller.signal,
    });
    await stream.next();
    controller.abort();
    await expect(stream.next()).rejects.toThrow();
  });

  it('should not pile up abort listeners across keep-alives', async () => {
    const controller = new AbortController();
    let listeners = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<typeof add>) => {
      listeners += 1;
      add(...args);
    };
    signal.removeEventListener = (...args: Parameters<typeof remove>) => {
      listeners -= 1;
      remove(...args);
    };
    const answer = deferred<ChatCompletion>();
    const stream = emulateStream(answer.promise, { ...options(), signal });
    // Pulled one by one: the role chunk then three keep-alives, however slow the machine is.
    for (let pulled = 0; pulled < 4; pulled += 1) {
      expect((await stream.next()).done).toBe(false);
    }
    expect(listeners).toBeLessThanOrEqual(1);
    answer.resolve(textCompletion());
    for await (const chunk of stream) {
      expect(chunk.id).toBe('chatcmpl-emulated-1');
    }
  });

  it('should throw the failure when the answer is rejected', async () => {
    const answer = deferred<ChatCompletion>();
    const { chunks, done } = consume(emulateStream(answer.promise, options()));
    await sleep(30);
    const failure = ProviderException.timeout('straico', 300_000);
    answer.reject(failure);
    await expect(done).rejects.toBe(failure);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.every((chunk) => chunk.choices[0]?.finish_reason === null)).toBe(true);
  });

  it('should throw promptly when the signal aborts while waiting', async () => {
    const controller = new AbortController();
    const answer = deferred<ChatCompletion>();
    const { chunks, done } = consume(
      emulateStream(answer.promise, options({ keepAliveMs: 5_000, signal: controller.signal })),
    );
    await sleep(20);
    expect(chunks).toHaveLength(1);
    const started = Date.now();
    controller.abort();
    await expect(done).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(chunks).toHaveLength(1);
  });

  it('should throw the abort reason when it is an Error', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    const { done } = consume(
      emulateStream(
        new Promise<ChatCompletion>(() => undefined),
        options({
          keepAliveMs: 5_000,
          signal: controller.signal,
        }),
      ),
    );
    await sleep(10);
    controller.abort(reason);
    await expect(done).rejects.toBe(reason);
  });
});
