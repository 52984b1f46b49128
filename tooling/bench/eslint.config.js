import { nablaEslint } from '@nabla/config/eslint';

export default nablaEslint(import.meta.dirname);
