/** The digit task: softmax cross-entropy on logits, accuracy by argmax. */
import { crossEntropy } from '@nabla/losses';
import type { Tensor } from '@nabla/tensor';
import type { Task } from '../fit';

export const digitTask: Task = {
  loss: (out: Tensor, y: Tensor) => crossEntropy(out, y),
  correct: (out: Tensor, y: Tensor) => out.argmax(1).eq(y).sum().item(),
};
