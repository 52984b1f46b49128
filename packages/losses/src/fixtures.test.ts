import { describe, expect, it } from 'vitest';
import { loadFixtures } from '@nabla/oracle';
import { runCase } from './fixture-case';

// Every PyTorch case of the 'losses' group: value and input gradients, every reduction and option, float32 and float64.
describe('matches PyTorch (tooling/oracle fixtures/losses.json)', () => {
  it.each(loadFixtures('losses').cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // The one deviation: klDiv's target gradient at a target of exactly 0 is NaN in torch (0/0 in
    // xlogy's backward); nabla treats 0·log 0 as the constant 0 there and gives a finite value.
    runCase(c, { finiteWhereTorchNaN: c.call.name === 'klDiv' });
  });
  it('covers every loss in both float dtypes', () => {
    const names = new Set(loadFixtures('losses').cases.map((c) => c.name.split('/').slice(0, 2).join('/')));
    for (const loss of ['crossEntropy', 'nllLoss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'klDiv', 'mseLoss', 'l1Loss', 'lpLoss', 'huberLoss', 'smoothL1Loss']) {
      for (const dtype of ['float32', 'float64']) expect(names.has(`${loss}/${dtype}`), `${loss}/${dtype}`).toBe(true);
    }
  });
});
