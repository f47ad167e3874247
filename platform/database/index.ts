export * from './database';
export type * from './schema';
export * from './archives';
