// Compiles messages/*.json into src/lib/paraglide without Vite, so that `npm run check`
// works in a fresh clone before any build. Run from web/.
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from './options.js';

await compile(paraglideOptions);
