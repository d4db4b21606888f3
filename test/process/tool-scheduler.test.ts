import { expect } from 'chai';
import sinon from 'sinon';
import { runScheduled, type ScheduledCall } from '../../lib/process/tool-scheduler.js';
import { Gates } from '../support/gates.js';

/** Lets every settled promise's reactions run (one turn of the event loop). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Gated calls named `names`, each resolving to `<name>!`; `x…` names are exclusive. */
function gatedCalls(gates: Gates, names: string[]): ScheduledCall<string>[] {
  return names.map((name) => ({ run: () => gates.pass(name, `${name}!`), exclusive: name.startsWith('x') }));
}

describe('runScheduled', () => {
  it('runs a single call and gives its result', async () => {
    const run = sinon.stub().resolves('only');
    expect(await runScheduled([{ run, exclusive: false }], 1)).to.deep.equal(['only']);
    expect(run.calledOnce).to.equal(true);
    expect(await runScheduled([{ run, exclusive: true }], Infinity)).to.deep.equal(['only']);
  });

  it('gives nothing for no calls', async () => {
    expect(await runScheduled([], Infinity)).to.deep.equal([]);
  });

  it('starts every call at once without a limit, and gives the results in the order of the calls, not of their ends', async () => {
    const gates = new Gates();
    const done = runScheduled(gatedCalls(gates, ['a', 'b', 'c', 'd']), Infinity);
    expect(gates.waiting).to.deep.equal(['a', 'b', 'c', 'd']);
    for (const name of ['c', 'a', 'd', 'b']) gates.open(name);
    expect(await done).to.deep.equal(['a!', 'b!', 'c!', 'd!']);
    expect(gates.gauge.max).to.equal(4);
  });

  it('runs at most `concurrency` calls at once, starting the next one in order as soon as one ends', async () => {
    const gates = new Gates();
    const done = runScheduled(gatedCalls(gates, ['a', 'b', 'c', 'd', 'e']), 2);
    expect(gates.waiting).to.deep.equal(['a', 'b']);
    gates.open('b');
    await settle();
    expect(gates.waiting).to.deep.equal(['a', 'c']);
    gates.open('a');
    await settle();
    expect(gates.waiting).to.deep.equal(['c', 'd']);
    gates.open('d');
    await settle();
    expect(gates.waiting).to.deep.equal(['c', 'e']);
    gates.open('e');
    gates.open('c');
    expect(await done).to.deep.equal(['a!', 'b!', 'c!', 'd!', 'e!']);
    expect(gates.gauge.max).to.equal(2);
  });

  it('runs one call at a time with concurrency 1', async () => {
    const gates = new Gates().openOnePerTurn();
    expect(await runScheduled(gatedCalls(gates, ['a', 'b', 'c']), 1)).to.deep.equal(['a!', 'b!', 'c!']);
    expect(gates.log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs an exclusive call alone: after the running calls end, and before the next one starts', async () => {
    const gates = new Gates();
    const done = runScheduled(gatedCalls(gates, ['a', 'b', 'x', 'c', 'd']), Infinity);
    expect(gates.waiting).to.deep.equal(['a', 'b']);
    gates.open('a');
    await settle();
    expect(gates.waiting, 'x waits for b as well').to.deep.equal(['b']);
    gates.open('b');
    await settle();
    expect(gates.waiting).to.deep.equal(['x']);
    gates.open('x');
    await settle();
    expect(gates.waiting, 'the calls after it run together again').to.deep.equal(['c', 'd']);
    gates.open('d');
    gates.open('c');
    expect(await done).to.deep.equal(['a!', 'b!', 'x!', 'c!', 'd!']);
  });

  it('runs exclusive calls in a row one by one, first or last in the batch too', async () => {
    const gates = new Gates().openOnePerTurn();
    expect(await runScheduled(gatedCalls(gates, ['x1', 'x2', 'a', 'b', 'x3']), Infinity)).to.deep.equal(['x1!', 'x2!', 'a!', 'b!', 'x3!']);
    expect(gates.log).to.deep.equal(['start x1', 'end x1', 'start x2', 'end x2', 'start a', 'start b', 'end a', 'end b', 'start x3', 'end x3']);
  });
});
