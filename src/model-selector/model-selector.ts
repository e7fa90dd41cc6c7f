import { CatalogModel, MODEL_TIERS, ModelTier, tierRank } from '../catalog/model-catalog.types';
import { RequestProfile } from './request-profile';
import { SelectionPolicy } from './selection-policy';

export interface SelectOptions {
  policy: SelectionPolicy;
  /** Public ids (or aliases) the caller's key may use; undefined means any. */
  allowed?: ReadonlySet<string>;
  /** False while a model's upstream circuit is open. */
  isHealthy: (id: string) => boolean;
}

export interface Selection {
  model: CatalogModel;
  /** The few facts that decided it, one ASCII line of at most 300 characters. */
  reason: string;
  /** Models that passed every filter. */
  considered: number;
}

export type NoFitCause =
  | 'no_models'
  | 'not_allowed'
  | 'vision'
  | 'tools'
  | 'json_schema'
  | 'sampling_params'
  | 'max_output'
  | 'context'
  | 'unhealthy';

/** No candidate survives the filters; `why` names the filter that removed the last ones. */
export class NoModelFitsError extends Error {
  constructor(
    readonly why: NoFitCause,
    message: string,
  ) {
    super(message);
    this.name = 'NoModelFitsError';
  }
}

export const MAX_REASON_LENGTH = 300;

interface Filter {
  why: Exclude<NoFitCause, 'no_models'>;
  /** How the reason line counts the models this filter removed. */
  excluded: string;
  keeps: (model: CatalogModel) => boolean;
  /** Why nothing fits, when this filter removed the last candidates. */
  failure: (removed: CatalogModel[]) => string;
}

/**
 * Picks the model for an `auto` request, deterministically: the same profile, candidates and
 * options always give the same model and reason.
 *
 * Filters, in this order (the first to leave nothing names the error): the key's allowed
 * models; capabilities (image parts need vision, `tools` need tools, a json_schema
 * response_format needs structured outputs, sampling parameters rule out reasoning models);
 * an explicit output limit within the model's; prompt + output within the context window;
 * upstream health last, so that "all circuits open" is only said of otherwise fitting models.
 *
 * Policies, over the models left, by the tier the request's complexity asks for:
 * - cost: the cheapest model of that tier or at most one below it (a large request may get a
 *   medium model, never a small one); lower tiers only if nothing else is left.
 * - balance: the cheapest model of that tier, else of the nearest higher tier, else the
 *   nearest lower one.
 * - quality: the cheapest model of the highest tier left.
 * Price is what this request would cost on the model: prompt tokens at the input price plus
 * the output budget at the output price. Ties go to the smaller id.
 */
export function selectModel(
  profile: RequestProfile,
  candidates: readonly CatalogModel[],
  options: SelectOptions,
): Selection {
  if (candidates.length === 0) {
    throw new NoModelFitsError('no_models', 'The model catalog has no models to choose from.');
  }
  let left = [...candidates];
  const excluded: string[] = [];
  for (const filter of filtersFor(profile, options)) {
    const kept = left.filter(filter.keeps);
    if (kept.length === 0) {
      throw new NoModelFitsError(filter.why, filter.failure(left));
    }
    if (kept.length < left.length) {
      excluded.push(`${left.length - kept.length} ${filter.excluded}`);
    }
    left = kept;
  }

  const price = (model: CatalogModel) =>
    (profile.promptTokens * model.inputPricePerMTok +
      outputFor(profile, model) * model.outputPricePerMTok) /
    1_000_000;
  for (const group of tierGroups(options.policy, profile.tier)) {
    const inGroup = left.filter((model) => group.tiers.includes(model.tier));
    if (inGroup.length === 0) {
      continue;
    }
    inGroup.sort((a, b) => price(a) - price(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const model = inGroup[0];
    const facts = [
      `tier=${profile.tier} (${tierFacts(profile)})`,
      `policy=${options.policy}`,
      ...needsFact(profile),
      ...(excluded.length > 0 ? [`excluded ${excluded.join(', ')}`] : []),
      `fits ${compact(model.contextWindow)} context`,
      `${group.describe(inGroup.length)}`,
      `est $${price(model).toPrecision(2)}`,
    ];
    return { model, reason: clip(facts.join('; ')), considered: left.length };
  }
  // Unreachable: the groups of every policy cover every tier.
  throw new NoModelFitsError('no_models', 'No model tier matched the request.');
}

function filtersFor(profile: RequestProfile, options: SelectOptions): Filter[] {
  const { allowed } = options;
  const { needs } = profile;
  const capability = (
    why: 'vision' | 'tools' | 'json_schema',
    needed: boolean,
    has: (model: CatalogModel) => boolean,
    what: string,
  ): Filter => ({
    why,
    excluded: `lacking ${why}`,
    keeps: (model) => !needed || has(model),
    failure: () => `No available model supports ${what}.`,
  });
  return [
    {
      why: 'not_allowed',
      excluded: 'not allowed',
      keeps: (model) =>
        allowed === undefined ||
        allowed.has(model.id) ||
        model.aliases.some((alias) => allowed.has(alias)),
      failure: () => 'This API key is not allowed to use any model in the catalog.',
    },
    capability('vision', needs.vision, (m) => m.capabilities.vision, 'image input'),
    capability('tools', needs.tools, (m) => m.capabilities.tools, 'tools'),
    capability(
      'json_schema',
      needs.jsonSchema,
      (m) => m.capabilities.jsonSchema,
      'structured outputs (response_format json_schema)',
    ),
    {
      why: 'sampling_params',
      excluded: 'reasoning (sampling params)',
      keeps: (model) => !needs.samplingParams || model.reasoning !== true,
      failure: () =>
        'Only reasoning models fit, and they refuse temperature, top_p, penalties, logprobs, ' +
        'logit_bias and max_tokens: drop them or use max_completion_tokens.',
    },
    {
      why: 'max_output',
      excluded: 'with smaller max output',
      keeps: (model) => !profile.explicitOutput || model.maxOutput >= profile.requestedOutputTokens,
      failure: (removed) =>
        `The requested ${profile.requestedOutputTokens} output tokens exceed the output limit ` +
        `of every available model (largest: ${largest(removed, (m) => m.maxOutput)}).`,
    },
    {
      why: 'context',
      excluded: 'too small for context',
      keeps: (model) => profile.promptTokens + outputFor(profile, model) <= model.contextWindow,
      failure: (removed) =>
        `The prompt (about ${profile.promptTokens} tokens) plus the output budget exceeds the ` +
        `context window of every available model (largest: ${largest(removed, (m) => m.contextWindow)} tokens).`,
    },
    {
      why: 'unhealthy',
      excluded: 'unhealthy',
      keeps: (model) => options.isHealthy(model.id),
      failure: (removed) =>
        `Every model that fits is unavailable right now (circuit open): ${removed
          .map((m) => m.id)
          .slice(0, 5)
          .join(', ')}.`,
    },
  ];
}

interface TierGroup {
  tiers: readonly ModelTier[];
  describe: (count: number) => string;
}

function tierGroups(policy: SelectionPolicy, tier: ModelTier): TierGroup[] {
  const rank = tierRank(tier);
  const above = MODEL_TIERS.filter((t) => tierRank(t) > rank);
  const below = MODEL_TIERS.filter((t) => tierRank(t) < rank).reverse();
  const single = (t: ModelTier, prefix = ''): TierGroup => ({
    tiers: [t],
    describe: (count) => `${prefix}cheapest of ${count} ${t} model${count === 1 ? '' : 's'}`,
  });
  switch (policy) {
    case 'quality':
      return [...MODEL_TIERS]
        .reverse()
        .map((t, index) => single(t, index === 0 ? 'highest tier, ' : `no higher tier left, `));
    case 'balance':
      return [
        single(tier),
        ...[...above, ...below].map((t) => single(t, `no ${tier} model fits, `)),
      ];
    case 'cost': {
      const floor = MODEL_TIERS[Math.max(0, rank - 1)];
      const lower = MODEL_TIERS.filter((t) => tierRank(t) < tierRank(floor)).reverse();
      return [
        {
          tiers: MODEL_TIERS.filter((t) => tierRank(t) >= tierRank(floor)),
          describe: (count) => `cheapest of ${count} models at tier ${floor} or above`,
        },
        ...lower.map((t) => single(t, `nothing at tier ${floor} or above, `)),
      ];
    }
  }
}

/** The output budget checked against a model: the client's limit, else ours within its own. */
function outputFor(profile: RequestProfile, model: CatalogModel): number {
  return profile.explicitOutput
    ? profile.requestedOutputTokens
    : Math.min(profile.requestedOutputTokens, model.maxOutput);
}

function tierFacts(profile: RequestProfile): string {
  const { cues } = profile;
  return [
    ...(cues.code ? ['code'] : []),
    ...(cues.math ? ['math'] : []),
    ...(cues.reasoning ? ['reasoning'] : []),
    `${compact(profile.promptTokens)} prompt tokens`,
    ...(profile.depth > 1 ? [`${profile.depth} user turns`] : []),
  ].join(', ');
}

function needsFact(profile: RequestProfile): string[] {
  const { needs } = profile;
  const list = [
    ...(needs.vision ? ['vision'] : []),
    ...(needs.tools ? ['tools'] : []),
    ...(needs.jsonSchema ? ['json_schema'] : []),
  ];
  return list.length > 0 ? [`needs ${list.join('+')}`] : [];
}

/** 850, 1.2k, 128k, 1.05M: short enough for a header. */
function compact(tokens: number): string {
  if (tokens < 1_000) {
    return String(tokens);
  }
  if (tokens < 1_000_000) {
    return tokens < 10_000 ? `${(tokens / 1_000).toFixed(1)}k` : `${Math.round(tokens / 1_000)}k`;
  }
  return `${Number((tokens / 1_000_000).toFixed(2))}M`;
}

function largest(models: CatalogModel[], value: (model: CatalogModel) => number): number {
  return Math.max(...models.map(value));
}

/** Header-safe: printable ASCII only, at most MAX_REASON_LENGTH characters. */
function clip(reason: string): string {
  const ascii = reason.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= MAX_REASON_LENGTH ? ascii : `${ascii.slice(0, MAX_REASON_LENGTH - 3)}...`;
}
