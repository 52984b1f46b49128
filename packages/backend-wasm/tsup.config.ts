import { defineConfig } from 'tsup';
import { nablaTsup } from '@nabla/config/tsup';

// shims: the CJS build gets an import.meta.url, which locates wasm/nabla.wasm.
export default defineConfig(nablaTsup({ shims: true }));
