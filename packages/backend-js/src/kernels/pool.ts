import { NablaError, type Pool2dParams, type View } from '@nabla/core';
import type { JsStorage } from '../storage';
type V = View<JsStorage>;
const todo = (op: string) => new NablaError(op, 'not implemented yet in backend-js');
export function maxPool2d(_o: V, _i: V, _x: V, _p: Pool2dParams): void { throw todo('maxPool2d'); }
export function avgPool2d(_o: V, _x: V, _p: Pool2dParams): void { throw todo('avgPool2d'); }
export function avgPool2dBackward(_o: V, _x: V, _p: Pool2dParams): void { throw todo('avgPool2dBackward'); }
