import { defineConfig } from 'tsup';
import { nablaTsup } from '@nabla/config/tsup';

export default defineConfig(nablaTsup());
