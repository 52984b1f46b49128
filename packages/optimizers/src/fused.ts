/** Access to a backend's optional fused optimizer kernels, for contiguous same-backend operands. */
import type { FusedKernels } from '@nabla/core';
import type { Tensor } from '@nabla/tensor';

/** The fused kernels usable for updating `p` from `g`, or undefined when the composite must run. */
export function fusedKernels(p: Tensor, g: Tensor): Partial<FusedKernels<unknown>> | undefined {
  if (p.backend !== g.backend || p.dtype !== g.dtype || !p.isContiguous()) return undefined;
  return p.backend.fused;
}

/** A kernel wrote these tensors directly: bump their storage versions as an in-place op would. */
export function touched(...ts: (Tensor | null | undefined)[]): void {
  for (const t of ts) if (t) t._store.version++;
}
