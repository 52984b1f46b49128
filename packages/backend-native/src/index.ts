/** @nabla/backend-native: the C kernels as a Node-API addon with per-ISA builds and a thread pool. */
export { createNativeBackend, nativeAvailable, ISAS, type Isa, type NativeBackendOptions } from './backend';
export { NativeStorage } from './descriptor';
