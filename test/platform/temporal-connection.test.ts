import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../platform/config';
import {
  clientConnectionOptions,
  describeTemporalConnection,
  temporalConnectionSettings,
  workerConnectionOptions,
} from '../../platform/temporal-connection';
import {
  clientTlsEnvironment,
  makeTlsMaterial,
  type TlsMaterial,
} from '../../scripts/production/certificates';
import { installTestRuntime, testServer } from '../helpers/temporal';

/** No profile file from the machine running the tests. */
const base = { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' };

describe('Temporal connection settings from the environment', () => {
  let dir: string;
  let material: TlsMaterial;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'temporal-tls-'));
    material = makeTlsMaterial(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to a local plain-text frontend and the default namespace', () => {
    const settings = temporalConnectionSettings(base);
    expect(settings).toEqual({ address: '127.0.0.1:7233', namespace: 'default', tls: 'off' });
    expect(clientConnectionOptions(settings)).toEqual({ address: '127.0.0.1:7233', tls: false });
    expect(workerConnectionOptions(settings)).toEqual({ address: '127.0.0.1:7233', tls: false });
  });

  it('takes the address and namespace, and gives them to the app configuration', () => {
    const env = { ...base, TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_NAMESPACE: 'invoices' };
    const config = loadConfig(env);
    expect(config.temporal.address).toBe('temporal.example:7233');
    expect(config.temporal.namespace).toBe('invoices');
    expect(config.temporal.connection.address).toBe('temporal.example:7233');
  });

  it('turns TLS on with an API key (Temporal Cloud), passes the key to both connections and never describes it', () => {
    const settings = temporalConnectionSettings({
      ...base,
      TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233',
      TEMPORAL_NAMESPACE: 'acme.a1b2c',
      TEMPORAL_API_KEY: 'secret-api-key-value',
    });
    expect(clientConnectionOptions(settings)).toMatchObject({ tls: true, apiKey: 'secret-api-key-value' });
    expect(workerConnectionOptions(settings)).toMatchObject({ tls: true, apiKey: 'secret-api-key-value' });
    const described = JSON.stringify(describeTemporalConnection(settings));
    expect(described).not.toContain('secret-api-key-value');
    expect(describeTemporalConnection(settings)).toEqual({
      address: 'eu-west-1.aws.api.temporal.io:7233',
      namespace: 'acme.a1b2c',
      tls: 'on',
      apiKey: 'set',
    });
  });

  it('reads the server CA, the server name and the client certificate pair (mTLS) from files', () => {
    const settings = temporalConnectionSettings({ ...base, ...clientTlsEnvironment(material) });
    expect(settings.tls).toBe('mtls');
    for (const options of [clientConnectionOptions(settings), workerConnectionOptions(settings)]) {
      expect(options.tls).toEqual({
        serverNameOverride: material.serverName,
        serverRootCACertificate: readFileSync(material.caCert),
        clientCertPair: { crt: readFileSync(material.clientCert), key: readFileSync(material.clientKey) },
      });
    }
  });

  it('refuses to start on a certificate file it cannot read', () => {
    expect(() =>
      loadConfig({ ...base, TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'missing.pem') }),
    ).toThrow(/Invalid configuration: Temporal connection settings/);
  });
});

/**
 * A TLS endpoint that requires a client certificate, in front of the real test server: what a
 * cluster with frontend mTLS looks like to the service's connections.
 */
async function mtlsFrontend(
  material: TlsMaterial,
  upstream: string,
): Promise<{ address: string; close(): Promise<void> }> {
  const [host, port] = [
    upstream.slice(0, upstream.lastIndexOf(':')),
    Number(upstream.slice(upstream.lastIndexOf(':') + 1)),
  ];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(
    {
      cert: readFileSync(material.serverCert),
      key: readFileSync(material.serverKey),
      ca: readFileSync(material.caCert),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (secure) => {
      const plain = net.connect(port, host);
      sockets.add(secure).add(plain);
      secure.pipe(plain).pipe(secure);
      const end = () => {
        secure.destroy();
        plain.destroy();
      };
      secure.on('error', end).on('close', end);
      plain.on('error', end).on('close', end);
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('connections built from the settings reach a real Temporal server', () => {
  let dir: string;
  let material: TlsMaterial;
  let frontend: Awaited<ReturnType<typeof mtlsFrontend>>;
  beforeAll(async () => {
    installTestRuntime();
    dir = mkdtempSync(path.join(os.tmpdir(), 'temporal-mtls-'));
    material = makeTlsMaterial(dir);
    frontend = await mtlsFrontend(material, testServer().address);
  });
  afterAll(async () => {
    await frontend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function systemInfoThrough(
    options: ReturnType<typeof clientConnectionOptions>,
    connectTimeout = 10_000,
  ) {
    const connection = await Connection.connect({ ...options, connectTimeout });
    try {
      return await connection.workflowService.getSystemInfo({});
    } finally {
      await connection.close();
    }
  }

  it('plain text: the client and the worker connections answer', async () => {
    const settings = temporalConnectionSettings({ ...base, TEMPORAL_ADDRESS: testServer().address });
    expect((await systemInfoThrough(clientConnectionOptions(settings))).serverVersion).toBeTruthy();
    const native = await NativeConnection.connect(workerConnectionOptions(settings));
    await native.close();
  });

  it('mTLS: both connections handshake with the CA, server name and client certificate', async () => {
    const settings = temporalConnectionSettings({
      ...base,
      TEMPORAL_ADDRESS: frontend.address,
      ...clientTlsEnvironment(material),
    });
    expect((await systemInfoThrough(clientConnectionOptions(settings))).serverVersion).toBeTruthy();
    const native = await NativeConnection.connect(workerConnectionOptions(settings));
    await native.close();
  });

  it('mTLS: without the client certificate the frontend refuses the connection', async () => {
    const {
      TEMPORAL_TLS_CLIENT_CERT_PATH: _cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: _key,
      ...serverOnly
    } = clientTlsEnvironment(material);
    const settings = temporalConnectionSettings({
      ...base,
      TEMPORAL_ADDRESS: frontend.address,
      ...serverOnly,
    });
    expect(settings.tls).toBe('on');
    await expect(systemInfoThrough(clientConnectionOptions(settings), 3_000)).rejects.toThrow();
  });
});
