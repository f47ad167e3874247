import type { ConnectionOptions } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

/**
 * Where and how every process of the service reaches Temporal: the API's and the tools' client
 * `Connection`, and the worker's `NativeConnection`. Read by `@temporalio/envconfig` from Temporal's
 * standard variables (the same ones the `temporal` CLI reads), so one environment serves the app,
 * the CLI-based setup scripts and any other SDK:
 *   TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY (Temporal Cloud; turns TLS on),
 *   TEMPORAL_TLS, TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME,
 *   TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH (mTLS; *_DATA variants take PEM text),
 *   TEMPORAL_GRPC_META_<NAME>, TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE (a TOML profile instead).
 */
export interface TemporalConnectionSettings {
  address: string;
  namespace: string;
  /** `off`, `on` (server authentication only) or `mtls` (a client certificate too). */
  tls: 'off' | 'on' | 'mtls';
  apiKey?: string;
  tlsConfig?: TLSConfig;
  /** gRPC headers (`TEMPORAL_GRPC_META_<NAME>`). */
  metadata?: NativeConnectionOptions['metadata'];
}

/** Values only: envconfig takes a plain string map. */
function definedEntries(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function tlsMode(tls: TLSConfig | boolean | null | undefined): TemporalConnectionSettings['tls'] {
  if (!tls) return 'off';
  return typeof tls === 'object' && tls.clientCertPair ? 'mtls' : 'on';
}

/** Reads the settings once; a certificate file that cannot be read is a configuration error. */
export function temporalConnectionSettings(env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  let options: ReturnType<typeof toClientOptions>;
  try {
    options = toClientOptions(loadClientConfigProfile({ overrideEnvVars: definedEntries(env) }));
  } catch (err) {
    throw new Error(`Temporal connection settings: ${(err as Error).message}`);
  }
  const { address, apiKey, tls, metadata } = options.connectionOptions;
  return {
    address: address || DEFAULT_TEMPORAL_ADDRESS,
    namespace: options.namespace || DEFAULT_TEMPORAL_NAMESPACE,
    tls: tlsMode(tls),
    ...(typeof apiKey === 'string' && apiKey ? { apiKey } : {}),
    ...(typeof tls === 'object' && tls ? { tlsConfig: tls } : {}),
    ...(metadata && Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

function tlsOption(settings: TemporalConnectionSettings): TLSConfig | boolean {
  if (settings.tls === 'off') return false;
  return settings.tlsConfig ?? true;
}

/** For `Connection.connect` / `Connection.lazy` (API, tools, the worker's own client). */
export function clientConnectionOptions(
  settings: TemporalConnectionSettings,
  extra: Pick<ConnectionOptions, 'connectTimeout'> = {},
): ConnectionOptions {
  return {
    address: settings.address,
    tls: tlsOption(settings),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.metadata ? { metadata: settings.metadata } : {}),
    ...extra,
  };
}

/** For `NativeConnection.connect` (the worker's pollers). */
export function workerConnectionOptions(settings: TemporalConnectionSettings): NativeConnectionOptions {
  return {
    address: settings.address,
    tls: tlsOption(settings),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.metadata ? { metadata: settings.metadata } : {}),
  };
}

/** What a log line may say about the connection: never the key or the certificates. */
export function describeTemporalConnection(settings: TemporalConnectionSettings) {
  return {
    address: settings.address,
    namespace: settings.namespace,
    tls: settings.tls,
    apiKey: settings.apiKey ? 'set' : 'none',
  };
}
