import { NablaError, type Conv2dParams, type View } from '@nabla/core';
import type { JsStorage } from '../storage';
type V = View<JsStorage>;
const todo = (op: string) => new NablaError(op, 'not implemented yet in backend-js');
export function conv2d(_o: V, _x: V, _w: V, _p: Conv2dParams): void { throw todo('conv2d'); }
export function conv2dBackwardInput(_o: V, _x: V, _w: V, _p: Conv2dParams): void { throw todo('conv2dBackwardInput'); }
export function conv2dBackwardWeight(_o: V, _x: V, _w: V, _p: Conv2dParams): void { throw todo('conv2dBackwardWeight'); }
