import type { ParamsOf } from '@tongxin/shared/refusal';

/** A feature's refusals, each a Paraglide message taking that refusal's parameters. */
export type RefusalWords<T> = { [C in keyof T]: (params: ParamsOf<T[C]>) => string };
