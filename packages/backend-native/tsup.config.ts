import { defineConfig } from 'tsup';
import { nablaTsup } from '@nabla/config/tsup';

// shims: the CommonJS build gets an import.meta.url (the addon loader finds the package root from it)
export default defineConfig(nablaTsup({ shims: true }));
