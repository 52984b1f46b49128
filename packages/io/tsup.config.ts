import { defineConfig } from 'tsup';
import { nablaTsup } from '@nabla/config/tsup';

export default defineConfig(nablaTsup({ entry: ['src/index.ts', 'src/node.ts'] }));
