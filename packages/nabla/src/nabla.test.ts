import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, setBackend, type Backend } from '@nabla/core';
import { createJsBackend } from '@nabla/backend-js';
import * as nb from './index';
import { choose, type Candidate } from './select';

const fake = (name: Candidate['name'], fail?: string): Candidate => ({
  name,
  create: () => {
    if (fail) throw new Error(fail);
    return { ...createJsBackend(), name };
  },
});

afterEach(() => {
  nb.initBackend({ backend: '' });
});

describe('selection order', () => {
  it('takes the first candidate that can be created and keeps why faster ones were skipped', () => {
    const sel = choose([fake('native', 'addon not built'), fake('wasm'), fake('js')]);
    expect(sel.backend.name).toBe('wasm');
    expect(sel.info).toEqual({ name: 'wasm', chosenBy: 'auto', skipped: [{ name: 'native', reason: 'addon not built' }] });
    expect(choose([fake('native'), fake('wasm'), fake('js')]).info.name).toBe('native');
    expect(choose([fake('native', 'a'), fake('wasm', 'b'), fake('js')]).info.skipped.map((s) => s.reason)).toEqual(['a', 'b']);
  });

  it('on import, picks native, else wasm (sync in Node), else js, and records why', () => {
    const info = nb.backendInfo();
    expect(getBackend().name).toBe(info.name);
    const order = nb.BACKEND_NAMES.indexOf(info.name as never);
    // every faster backend was tried and carries a reason
    expect(info.skipped.map((s) => s.name)).toEqual(nb.BACKEND_NAMES.slice(0, order));
    for (const s of info.skipped) expect(s.reason.length).toBeGreaterThan(0);
    // in Node the wasm backend always loads, so js is never the automatic choice here
    expect(info.name).not.toBe('js');
  });

  it('falls back to wasm when native is forced to fail, with the reason kept', () => {
    const failing: Candidate = { name: 'native', create: () => { throw new Error('libnabla.node: invalid ELF header'); } };
    const info = nb.initBackend({ candidates: [failing, ...nb.candidates.slice(1)] });
    expect(info.name).toBe('wasm');
    expect(getBackend().name).toBe('wasm');
    expect(nb.backendInfo().skipped).toEqual([{ name: 'native', reason: 'libnabla.node: invalid ELF header' }]);
    expect(nb.tensor([1, 2, 3]).exp().sum().item()).toBeCloseTo(Math.E + Math.E ** 2 + Math.E ** 3, 4);
  });
});

describe('NABLA_BACKEND override', () => {
  it('selects exactly the named backend', () => {
    expect(nb.initBackend({ backend: 'js' })).toEqual({ name: 'js', chosenBy: 'NABLA_BACKEND', skipped: [] });
    expect(getBackend().name).toBe('js');
    expect(nb.initBackend({ backend: 'wasm' }).name).toBe('wasm');
    expect(getBackend().name).toBe('wasm');
  });

  it('reads the environment variable', () => {
    const before = process.env.NABLA_BACKEND;
    process.env.NABLA_BACKEND = 'js';
    try {
      expect(nb.initBackend().chosenBy).toBe('NABLA_BACKEND');
      expect(getBackend().name).toBe('js');
    } finally {
      if (before === undefined) delete process.env.NABLA_BACKEND;
      else process.env.NABLA_BACKEND = before;
    }
  });

  it('is an error when the named backend cannot be created or does not exist', () => {
    expect(() => nb.initBackend({ backend: 'native', candidates: [fake('native', 'no addon'), fake('js')] })).toThrow(
      '[nabla] NABLA_BACKEND=native but the native backend could not be created: no addon',
    );
    expect(() => nb.initBackend({ backend: 'cuda' as never })).toThrow('[nabla] NABLA_BACKEND=cuda is not one of native, wasm, js');
  });
});

describe('registration', () => {
  it("makes setBackend('wasm' | 'js') work and returns one instance per name", () => {
    const w = setBackend('wasm');
    expect(w.name).toBe('wasm');
    expect(setBackend('wasm')).toBe(w);
    expect(setBackend('js').name).toBe('js');
    expect(nb.backendInfo().name).toBe('js');
  });

  it('reports a backend set by hand as chosen by setBackend', () => {
    const mine: Backend = { ...createJsBackend(), name: 'mine' };
    setBackend(mine);
    expect(nb.backendInfo()).toMatchObject({ name: 'mine', chosenBy: 'setBackend' });
  });

  it('ready() resolves to the current choice when nothing needs async loading', async () => {
    nb.initBackend({ backend: '' });
    expect(await nb.ready()).toEqual(nb.backendInfo());
  });

  it('ready() upgrades js to wasm where wasm could not be created synchronously (as in a browser)', async () => {
    const noSync: Candidate = { name: 'wasm', create: () => { throw new Error('synchronous compile not allowed'); } };
    const info = nb.initBackend({ candidates: [fake('native', 'not Node'), noSync, ...nb.candidates.slice(2)] });
    expect(info.name).toBe('js');
    const up = await nb.ready();
    expect(up).toEqual({ name: 'wasm', chosenBy: 'ready', skipped: [{ name: 'native', reason: 'not Node' }] });
    expect(getBackend().name).toBe('wasm');
  });
});

describe('re-exports', () => {
  it('exposes every package through one import, with init as a namespace', () => {
    for (const name of ['tensor', 'backward', 'noGrad', 'crossEntropy', 'Linear', 'SGD', 'DataLoader', 'saveSafetensors', 'setBackend', 'NablaError']) {
      expect(nb, name).toHaveProperty(name);
    }
    expect(typeof nb.init).toBe('object');
  });

  it('trains a tiny model end to end on the chosen backend', () => {
    nb.manualSeed(0);
    const model = new nb.Linear(2, 1);
    const opt = new nb.SGD(model.parameters(), { lr: 0.1 });
    const x = nb.tensor([[0, 1], [1, 0], [1, 1], [0, 0]]);
    const y = nb.tensor([[1], [1], [2], [0]]);
    let first = 0;
    let last = 0;
    for (let i = 0; i < 100; i++) {
      opt.zeroGrad();
      const loss = nb.mseLoss(model.forward(x), y);
      loss.backward();
      opt.step();
      last = loss.item();
      if (i === 0) first = last;
    }
    expect(last).toBeLessThan(first / 10);
  });
});
