/**
 * The worker's V8 heap limit in MiB. V8's flags are process-wide, so it bounds each isolate of the
 * worker: the main thread (activities) and the workflow thread (the cached workflows). Without it V8
 * sizes the heap from the host's memory and collects late, and RSS grows past what the cache needs.
 * Every start of the worker passes it: docker-compose.yml, the local and production topologies.
 */
export const WORKER_HEAP_LIMIT_MIB = 384;

/** The node flags a worker process is started with; 0: V8's own limit. */
export function workerNodeFlags(heapLimitMiB: number = WORKER_HEAP_LIMIT_MIB): string[] {
  return heapLimitMiB > 0 ? [`--max-old-space-size=${heapLimitMiB}`] : [];
}
