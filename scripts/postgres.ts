/** A real PostgreSQL server without Docker: binaries, service account, start/stop, databases. */
export * from './postgres/binaries';
export * from './postgres/server';
export { serviceAccount, DEFAULT_SERVICE_ACCOUNT, type ServiceAccount } from './postgres/service-account';
