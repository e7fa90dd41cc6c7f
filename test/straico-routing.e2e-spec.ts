import OpenAI from 'openai';

import { createFakeStraicoUpstream, FakeStraicoUpstream } from './fakes/fake-straico-upstream';
import { startGateway, TestGateway } from './support/gateway';
import {
  HAIKU,
  sdkClient,
  StraicoGateway,
  startStraicoGateway,
  STRAICO_HAIKU,
  waitForModel,
} from './support/straico';

const MESSAGES = [{ role: 'user' as const, content: 'Hello!' }];
const ANSWER = 'Hello from Straico!';
/** What the fake's selector picks per pricing method (chat models ordered by price). */
const PICKED = {
  quality: 'openai/o4-mini',
  balance: 'openai/gpt-4o-mini',
  budget: 'meta-llama/llama-4-maverick',
};

describe('Straico as the only provider: routing by model id', () => {
  let setup: StraicoGateway;
  let straico: FakeStraicoUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    setup = await startStraicoGateway();
    ({ straico, client } = setup);
  });
  afterAll(() => setup.close());
  beforeEach(() => straico.reset());

  it.each([STRAICO_HAIKU, HAIKU, 'straico/openai/gpt-4o-mini', 'meta-llama/llama-4-maverick'])(
    'should send %s to Straico by its Straico id',
    async (model) => {
      const completion = await client.chat.completions.create({ model, messages: MESSAGES });
      const straicoId = model.replace(/^straico\//, '');
      expect(completion.model).toBe(straicoId);
      expect(completion.choices[0].message.content).toBe(ANSWER);
      expect(straico.chatRequests().map((r) => r.body.model)).toEqual([straicoId]);
    },
  );

  // Straico ids often start with another provider's name. With only Straico configured,
  // `openai/gpt-4o-mini` is listed by Straico alone, so it must route there like any bare id.
  it('should route a Straico-listed bare id whose prefix names a disabled provider', async () => {
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: MESSAGES,
    });
    expect(completion.model).toBe('openai/gpt-4o-mini');
    expect(completion.choices[0].message.content).toBe(ANSWER);
    expect(straico.chatRequests().map((r) => r.body.model)).toEqual(['openai/gpt-4o-mini']);
  });
});

describe('Straico with STRAICO_PRICING_METHOD=quality', () => {
  let setup: StraicoGateway;

  beforeAll(async () => {
    setup = await startStraicoGateway({ env: { STRAICO_PRICING_METHOD: 'quality' } });
  });
  afterAll(() => setup.close());

  it('should use quality as the default pricing method for auto', async () => {
    const { data: completion, response } = await setup.client.chat.completions
      .create({ model: 'auto', messages: MESSAGES })
      .withResponse();
    expect(setup.straico.chatRequests()[0].body.smart_llm_selector).toBe('quality');
    expect(completion.model).toBe(PICKED.quality);
    expect(response.headers.get('x-gateway-selection-reason')).toContain('"quality"');
  });

  it('should still honour an explicit auto:budget', async () => {
    const completion = await setup.client.chat.completions.create({
      model: 'auto:budget',
      messages: MESSAGES,
    });
    expect(setup.straico.chatRequests().at(-1)!.body.smart_llm_selector).toBe('budget');
    expect(completion.model).toBe(PICKED.budget);
  });
});

describe('Straico next to the OpenAI provider', () => {
  let gateway: TestGateway;
  let straico: FakeStraicoUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    straico = await createFakeStraicoUpstream().listen();
    gateway = await startGateway({
      STRAICO_API_KEY: 'straico-test-key',
      STRAICO_BASE_URL: straico.url,
    });
    client = sdkClient(gateway);
    await waitForModel(gateway, STRAICO_HAIKU);
  });
  afterAll(async () => {
    await gateway.close();
    await straico.close();
  });
  beforeEach(() => {
    straico.reset();
    gateway.upstream.reset();
  });

  it('should route a bare id only Straico lists to Straico', async () => {
    const completion = await client.chat.completions.create({ model: HAIKU, messages: MESSAGES });
    expect(completion.choices[0].message.content).toBe(ANSWER);
    expect(straico.chatRequests().map((r) => r.body.model)).toEqual([HAIKU]);
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });

  it('should keep routing an OpenAI model to the OpenAI upstream', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
    });
    expect(completion.choices[0].message.content).not.toBe(ANSWER);
    expect(gateway.upstream.chatRequests()).toHaveLength(1);
    expect(straico.chatRequests()).toHaveLength(0);
  });

  it('should give auto to the Straico selector', async () => {
    const completion = await client.chat.completions.create({ model: 'auto', messages: MESSAGES });
    expect(completion.model).toBe(PICKED.balance);
    expect(straico.chatRequests()[0].body.smart_llm_selector).toBe('balance');
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });
});
