// `node --import ./test/support/ts-esm.register.mjs child.ts`: see ts-esm.loader.mjs.
import { register } from 'node:module';

register('./ts-esm.loader.mjs', import.meta.url);
