import got from 'got';

export interface HttpProbeInput {
  url: string;
}

export interface HttpProbeResult {
  url: string;
  statusCode: number;
  ok: boolean;
}

export interface SmokeActivityDependencies {
  /** Every outbound HTTP call has a timeout; retries belong to the workflow's retry policy. */
  httpTimeoutMs: number;
}

/** Connectivity smoke check: proves a worker can reach a service (the simulator, the API) over HTTP. */
export function createSmokeActivities(deps: SmokeActivityDependencies) {
  return {
    async probeHttpEndpoint({ url }: HttpProbeInput): Promise<HttpProbeResult> {
      const response = await got(url, {
        timeout: deps.httpTimeoutMs,
        retry: 0,
        throwHttpErrors: false,
        followRedirect: false,
      });
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      return { url, statusCode: response.statusCode, ok };
    },
  };
}
