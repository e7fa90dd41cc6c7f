import { closestModels } from './model-suggestions';

const known = [
  'anthropic/claude-3-5-sonnet',
  'anthropic/claude-3-haiku:beta',
  'anthropic/claude-3.7-sonnet',
  'openai/gpt-4o',
  'openai/gpt-4o-mini',
  'openai/o4-mini',
];

describe('closestModels', () => {
  it('should rank known ids by edit distance', () => {
    // §13: users guess `anthropic/claude-3.5-sonnet` for `claude-3-5-sonnet` (V0-DOC log).
    expect(closestModels('anthropic/claude-3.5-sonnet', known)).toEqual([
      'anthropic/claude-3-5-sonnet',
      'anthropic/claude-3.7-sonnet',
      'anthropic/claude-3-haiku:beta',
    ]);
  });

  it('should ignore case', () => {
    expect(closestModels('OpenAI/GPT-4o-Mini', known, 1)).toEqual(['openai/gpt-4o-mini']);
  });

  it('should break ties alphabetically', () => {
    expect(closestModels('ab', ['ba', 'aa', 'ac'], 3)).toEqual(['aa', 'ac', 'ba']);
  });

  it('should return at most count ids, three by default', () => {
    expect(closestModels('x', known)).toHaveLength(3);
    expect(closestModels('x', known, 5)).toHaveLength(5);
    expect(closestModels('x', ['only'], 3)).toEqual(['only']);
  });

  it('should return nothing when no models are known', () => {
    expect(closestModels('openai/gpt-4o', [])).toEqual([]);
  });

  it('should not reorder the known list it was given', () => {
    const list = ['c', 'b', 'a'];
    closestModels('a', list);
    expect(list).toEqual(['c', 'b', 'a']);
  });
});
