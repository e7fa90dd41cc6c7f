import OpenAI, { BadRequestError } from 'openai';

import { startGateway, TEST_KEY, TestGateway } from './support/gateway';

const ANSWER = 'Hello! How can I help you today?';

function sdk(gateway: TestGateway): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
}

describe('/v1/responses on a Chat-only upstream', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({}, { responses: false });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it('should find out once that /responses is missing and translate from then on', async () => {
    const client = sdk(gateway);
    for (let i = 0; i < 3; i++) {
      const response = await client.responses.create({ model: 'gpt-4o-mini', input: 'Hello!' });
      expect(response.output_text).toBe(ANSWER);
    }
    expect(gateway.upstream.responsesRequests().length).toBeLessThanOrEqual(1);
    expect(gateway.upstream.chatRequests()).toHaveLength(3);
  });

  it('should refuse what Chat cannot express with a 400 naming it', async () => {
    const client = sdk(gateway);
    const error = await client.responses
      .create({ model: 'gpt-4o-mini', input: 'Hi', tools: [{ type: 'web_search' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ param: 'tools[0].type', code: 'unsupported_parameter' });
    const item = await client.responses
      .create({
        model: 'gpt-4o-mini',
        input: [{ type: 'item_reference', id: 'msg_unknown' }],
      })
      .catch((e: unknown) => e);
    expect(item).toMatchObject({ status: 400, param: 'input[0]', code: 'item_not_found' });
  });
});
