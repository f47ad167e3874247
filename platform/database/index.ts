export * from './database';
export type * from './schema';
