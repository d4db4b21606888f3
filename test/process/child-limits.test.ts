/**
 * The limits of a spawned or forked child (lib/process/child-limits.ts): the part of the parent
 * run's budget left, the refusal of an unpriced model under a cost budget, and the spawn depth.
 * test/reliability/budgets-children.test.ts checks them through real runs.
 */
import { expect } from 'chai';
import { ChildRunRefusedError } from '../../lib/errors.js';
import { assertPriced, assertSpawnDepth, DEFAULT_MAX_SPAWN_DEPTH, remainingBudget } from '../../lib/process/child-limits.js';
import { spent } from '../support/spent-run.js';
import { thrownBy } from '../support/thrown-by.js';


const context = { program: 'Helper', chain: ['Main', 'Helper'] };

describe('child limits', () => {
  describe('remainingBudget', () => {
    it('gives no limit without a budget, and each limit less what the run spent', () => {
      expect(remainingBudget({}, spent(100, 1), context)).to.deep.equal({});
      expect(remainingBudget({ maxTokens: 100 }, spent(40, 1), context)).to.deep.equal({ maxTokens: 60 });
      expect(remainingBudget({ maxCostUsd: 1 }, spent(40, 0.25), context)).to.deep.equal({ maxCostUsd: 0.75 });
      expect(remainingBudget({ maxTokens: 100, maxCostUsd: 1 }, spent(99, 0.5), context)).to.deep.equal({ maxTokens: 1, maxCostUsd: 0.5 });
    });

    it('refuses the child once the tokens are spent, exactly or past the limit', () => {
      for (const tokens of [100, 150]) {
        const error = thrownBy(() => remainingBudget({ maxTokens: 100 }, spent(tokens, 0), context), ChildRunRefusedError, `${tokens} tokens`);
        expect(error).to.deep.include({ reason: 'budget', program: 'Helper', chain: context.chain });
        expect(error.message).to.equal(`"Helper" was not started: the run's budget is spent (maxTokens 100: ${tokens} tokens used).`);
      }
    });

    it('refuses the child once the cost is spent, or unknown', () => {
      const reached = thrownBy(() => remainingBudget({ maxCostUsd: 0.5 }, spent(1, 0.5), context), ChildRunRefusedError, 'a spent cost budget');
      expect(reached).to.include({ reason: 'budget' });
      expect(reached.message).to.equal(`"Helper" was not started: the run's budget is spent (maxCostUsd 0.5: $0.5 used).`);
      const unknown = thrownBy(() => remainingBudget({ maxCostUsd: 0.5 }, spent(1, null), context), ChildRunRefusedError, 'an unknown cost');
      expect(unknown).to.include({ reason: 'budget' });
      expect(unknown.message).to.equal(`"Helper" was not started: the run's budget is spent (maxCostUsd 0.5: a call of unknown cost was made).`);
      expect(remainingBudget({ maxTokens: 10 }, spent(1, null), context), 'an unknown cost does not matter without a cost budget').to.deep.equal({ maxTokens: 9 });
    });
  });

  describe('assertPriced', () => {
    const price = { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 };
    const priced = { program: 'Helper', model: 'claude-x', chain: context.chain };

    it('lets any model run without a cost budget, and a priced one with it', () => {
      expect(() => assertPriced({}, undefined, priced)).not.to.throw();
      expect(() => assertPriced({ maxTokens: 5 }, undefined, priced)).not.to.throw();
      expect(() => assertPriced({ maxCostUsd: 1 }, price, priced)).not.to.throw();
    });

    it('refuses a model without a price under a cost budget, saying what to do instead', () => {
      const error = thrownBy(() => assertPriced({ maxCostUsd: 1 }, undefined, priced), ChildRunRefusedError, 'an unpriced model');
      expect(error).to.deep.include({ reason: 'unpriced', program: 'Helper', chain: context.chain });
      expect(error.message).to.equal(
        '"Helper" was not started: its model "claude-x" has no known price, so it cannot run under this run\'s cost budget (maxCostUsd 1). ' +
          "Do the task without it; the program's owner can set a price with setModelPrice() or use maxTokens instead.",
      );
    });
  });

  describe('assertSpawnDepth', () => {
    it('lets spawns nest maxDepth deep below the run, counting the chain from its root', () => {
      expect(DEFAULT_MAX_SPAWN_DEPTH).to.equal(5);
      expect(() => assertSpawnDepth(['Main'], 0)).not.to.throw();
      expect(() => assertSpawnDepth(['Main', 'A'], 1)).not.to.throw();
      expect(() => assertSpawnDepth(['Main', 'A', 'B'], 2)).not.to.throw();
    });

    it('refuses one level deeper, naming the chain and the limit', () => {
      const error = thrownBy(() => assertSpawnDepth(['Main', 'A', 'B'], 1), ChildRunRefusedError, 'a spawn too deep');
      expect(error).to.deep.include({ reason: 'depth', program: 'B', chain: ['Main', 'A', 'B'] });
      const empty = thrownBy(() => assertSpawnDepth([], -2), ChildRunRefusedError, 'an empty chain');
      expect(empty, 'an empty chain names no program').to.deep.include({ program: '', chain: [] });
      expect(error.message).to.equal(
        '"B" was not spawned: spawns would nest 2 deep (Main → A → B), past the run\'s maxSpawnDepth 1; ' +
          'linked programs may call each other in a cycle. Answer without spawning again.',
      );
    });
  });
});
