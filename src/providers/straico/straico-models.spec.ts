import { v2ModelEntries } from './__fixtures__/straico-responses';
import { toProviderModel } from './straico-models';

describe('toProviderModel', () => {
  it('should list a chat model as straico/<id> with its pricing and limits', () => {
    // §6.3: GET /v2/models list entry (RKP example @333eaa4).
    const [nova] = v2ModelEntries();
    expect(toProviderModel(nova, 'straico')).toEqual({
      id: 'straico/amazon/nova-lite-v1',
      object: 'model',
      created: 1733443200,
      owned_by: 'amazon',
      name: 'Amazon: Nova Lite 1.0',
      pricing: { coins: 0.2, words: 100 },
      word_limit: 225000,
      max_output: 5000,
    });
  });

  it('should map only the chat models of a model list', () => {
    const ids = v2ModelEntries()
      .map((entry) => toProviderModel(entry, 'straico'))
      .filter((model) => model !== null)
      .map((model) => model.id);
    expect(ids).toEqual(['straico/amazon/nova-lite-v1']);
  });

  it.each(['image', 'video', 'audio'])('should skip %s models', (modelType) => {
    expect(toProviderModel({ id: 'x/y', model_type: modelType }, 'straico')).toBeNull();
  });

  it('should skip entries without an id', () => {
    // v1-style entries carry `model` instead of `id` (§6.2).
    expect(toProviderModel({ name: 'No id', model_type: 'chat' }, 'straico')).toBeNull();
  });

  it('should accept an entry without model_type and fill defaults', () => {
    // §6.3: model_type is documented, but top-level extras vary (UNCERTAIN).
    expect(toProviderModel({ id: 'openai/gpt-4o-mini' }, 'straico')).toEqual({
      id: 'straico/openai/gpt-4o-mini',
      object: 'model',
      created: 0,
      owned_by: 'openai',
      name: undefined,
      pricing: undefined,
      word_limit: undefined,
      max_output: undefined,
    });
  });

  it('should use the provider id given', () => {
    expect(toProviderModel({ id: 'openai/o4-mini' }, 'straico-eu')?.id).toBe(
      'straico-eu/openai/o4-mini',
    );
  });
});
