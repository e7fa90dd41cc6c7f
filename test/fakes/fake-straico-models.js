'use strict';
/** The fake Straico's model list and the detail shape `GET /v2/models/<id>` answers. */

/** `GET /v2/models` list entries (shape from the reference §6.3). */
const DEFAULT_MODELS = [
  {
    name: 'OpenAI: GPT-4o mini',
    id: 'openai/gpt-4o-mini',
    word_limit: 95000,
    pricing: { coins: 0.4, words: 100 },
    max_output: 16384,
    metadata: {
      editors_link: '',
      editors_choice_level: 2,
      pros: ['Fast', 'Cheap'],
      cons: ['Less capable than GPT-4o'],
      applications: ['Social chat', 'Summaries'],
      capabilities: ['Image input'],
      features: [],
      other: [],
      icon: 'https://example.invalid/icons/openai.png',
      model_date: '2024-07-18',
    },
    owned_by: 'openai',
    created: 1721260800,
    object: 'model',
    model_type: 'chat',
  },
  {
    name: 'Anthropic: Claude 3 Haiku',
    id: 'anthropic/claude-3-haiku:beta',
    word_limit: 150000,
    pricing: { coins: 1, words: 100 },
    max_output: 4096,
    metadata: {
      editors_link: '',
      editors_choice_level: 1,
      pros: ['Fast'],
      cons: ['Older model'],
      applications: ['Social chat'],
      capabilities: ['Image input'],
      features: [],
      other: [],
      icon: 'https://example.invalid/icons/anthropic.png',
      model_date: '2024-03-13',
    },
    owned_by: 'anthropic',
    created: 1710000000,
    object: 'model',
    model_type: 'chat',
  },
  {
    name: 'Meta: Llama 4 Maverick',
    id: 'meta-llama/llama-4-maverick',
    word_limit: 750000,
    pricing: { coins: 0.2, words: 100 },
    max_output: 8192,
    metadata: {
      editors_link: '',
      editors_choice_level: -1,
      pros: ['Open weights', 'Long context'],
      cons: [],
      applications: ['Coding'],
      capabilities: ['Image input'],
      features: [],
      other: [],
      icon: 'https://example.invalid/icons/meta.png',
      model_date: '2025-04-05',
    },
    owned_by: 'meta-llama',
    created: 1743811200,
    object: 'model',
    model_type: 'chat',
  },
  {
    name: 'OpenAI: o4 mini',
    id: 'openai/o4-mini',
    word_limit: 150000,
    pricing: { coins: 4, words: 100 },
    max_output: 100000,
    metadata: {
      editors_link: '',
      editors_choice_level: 3,
      pros: ['Strong reasoning'],
      cons: ['Slower', 'Expensive'],
      applications: ['Maths', 'Coding'],
      capabilities: ['Image input', 'Reasoning'],
      features: ['Reasoning'],
      other: [],
      icon: 'https://example.invalid/icons/openai.png',
      model_date: '2025-04-16',
    },
    owned_by: 'openai',
    created: 1744761600,
    object: 'model',
    model_type: 'chat',
  },
  {
    name: 'OpenAI: DALL-E 3',
    id: 'openai/dall-e-3',
    pricing: {
      square: { coins: 90, size: '1024x1024' },
      landscape: { coins: 120, size: '1792x1024' },
      portrait: { coins: 120, size: '1024x1792' },
    },
    metadata: { capabilities: [], features: [], other: [] },
    owned_by: 'openai',
    created: 1698796800,
    object: 'model',
    model_type: 'image',
  },
];

/**
 * `GET /v2/models/<id>` answers a different shape than the list entry (reference §6.4, CONFLICT):
 * no `word_limit`, `metadata: {}`, snake_case `model_*` arrays.
 */
function modelDetail(model) {
  const meta = model.metadata ?? {};
  const snake = (list) =>
    (list ?? []).map((s) =>
      String(s)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_'),
    );
  const detail = {
    id: model.id,
    name: model.name,
    object: 'model',
    model_type: model.model_type ?? 'chat',
    created: model.created,
    owned_by: model.owned_by,
    pricing: model.pricing,
    api_model: model.id,
    model_pros: meta.pros ?? [],
    model_cons: meta.cons ?? [],
    model_applications: meta.applications ?? [],
    model_capabilities: snake(meta.capabilities),
    model_features: snake(meta.features),
    model_other: meta.other ?? [],
    editors_choice_level: meta.editors_choice_level ?? -1,
    model_icon: meta.icon ?? null,
    model_date: meta.model_date ?? null,
    metadata: {},
  };
  if (model.word_limit !== undefined) {
    detail.words_text = `${model.word_limit.toLocaleString('en-US')} words`;
  }
  if (model.max_output !== undefined) {
    detail.max_output = model.max_output;
  }
  return detail;
}

module.exports = { DEFAULT_MODELS, modelDetail };
