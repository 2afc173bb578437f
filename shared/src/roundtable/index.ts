export * from './stages.ts';
export * from './actions.ts';
export * from './action-items.ts';
export * from './votes.ts';
export * from './topics.ts';
export * from './roundtable.schemas.ts';
