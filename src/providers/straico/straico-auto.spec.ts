import { ProviderException } from '../../common/errors/provider.exception';
import { straicoAutoModel, straicoSelectorMethod } from './straico-auto';

describe("Straico's auto", () => {
  it.each([
    [undefined, 'auto'],
    ['cost', 'auto:budget'],
    ['balance', 'auto:balance'],
    ['quality', 'auto:quality'],
  ] as const)('should ask for policy %s as %s', (policy, model) => {
    expect(straicoAutoModel(policy)).toBe(model);
  });

  it('should read back what the planner sent, plain auto taking the configured method', () => {
    expect(straicoSelectorMethod('auto', 'quality')).toBe('quality');
    expect(straicoSelectorMethod(straicoAutoModel('cost'), 'quality')).toBe('budget');
    expect(straicoSelectorMethod('anthropic/claude-3-haiku:beta', 'quality')).toBeUndefined();
  });

  it('should answer an unknown pricing method with a 404 that lists the known ones', () => {
    let error: unknown;
    try {
      straicoSelectorMethod('auto:cheapest', 'balance');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ProviderException);
    expect((error as ProviderException).getStatus()).toBe(404);
    expect((error as ProviderException).body.message).toContain('auto:budget');
  });
});
