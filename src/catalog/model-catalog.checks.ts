import { CatalogModel, isReservedModelName } from './model-catalog.types';

/**
 * The checks no single field can make: names must be unique across ids and aliases (a name
 * resolving to two models would route by file order), and fallbacks must name other, known
 * models. Returns one message per problem, each naming the entry, so a file is fixed in one pass.
 */
export function catalogProblems(models: readonly CatalogModel[]): string[] {
  const problems: string[] = [];
  const owners = new Map<string, { index: number; kind: 'id' | 'alias' }>();
  const label = (index: number) => `models[${index}] (${models[index].id})`;

  const claim = (name: string, index: number, kind: 'id' | 'alias', where: string) => {
    if (isReservedModelName(name)) {
      problems.push(`${where} "${name}" is reserved for automatic selection`);
      return;
    }
    const owner = owners.get(name);
    if (owner) {
      const what = owner.kind === 'id' ? 'the id' : 'an alias';
      problems.push(`${where} "${name}" is already ${what} of ${label(owner.index)}`);
      return;
    }
    owners.set(name, { index, kind });
  };

  models.forEach((model, index) => claim(model.id, index, 'id', `models[${index}].id`));
  models.forEach((model, index) =>
    model.aliases.forEach((alias, at) =>
      claim(alias, index, 'alias', `${label(index)}.aliases[${at}]`),
    ),
  );

  models.forEach((model, index) => {
    if (model.maxOutput > model.contextWindow) {
      problems.push(`${label(index)}.maxOutput: must not exceed contextWindow`);
    }
    const seen = new Set<number>();
    model.fallbacks.forEach((name, at) => {
      const where = `${label(index)}.fallbacks[${at}] "${name}"`;
      const target = owners.get(name);
      if (!target) {
        problems.push(`${where} names no model id or alias in the catalog`);
      } else if (target.index === index) {
        problems.push(`${where} is the model itself`);
      } else if (seen.has(target.index)) {
        problems.push(`${where} names ${models[target.index].id} a second time`);
      } else {
        seen.add(target.index);
      }
    });
  });
  return problems;
}
