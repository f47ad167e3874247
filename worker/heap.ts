import { setFlagsFromString } from 'node:v8';

/**
 * A V8 heap limit for the worker, in MiB, as measured (docs/performance.md): V8's flags are
 * process-wide, so it bounds each isolate of the worker, the main thread (activities) and the
 * workflow thread (the cached workflows). Not the default: an upload holds its attachment several
 * times over in the main thread's heap (the database's hex text, the base64 body: some 50 MB for a
 * 10 MB file), so a burst of large attachments could reach 384 MiB and end the process. Set it
 * (`--worker-heap` in the bench, `NODE_OPTIONS` elsewhere) where attachments are small.
 */
export const MEASURED_WORKER_HEAP_LIMIT_MIB = 384;

/** The node flags a worker process is started with; 0 (the default): V8's own limit. */
export function workerNodeFlags(heapLimitMiB = 0): string[] {
  return heapLimitMiB > 0 ? [`--max-old-space-size=${heapLimitMiB}`] : [];
}

/**
 * Bounds the heap of the workflow thread the SDK starts next (the cached workflows), not the main
 * thread's (activities, whose uploads hold whole attachments): V8 reads its heap flag when it creates
 * an isolate, and the main thread's exists already. Without a bound V8 sizes a heap from the host's
 * memory (some 4 GiB here) and collects late, so a worker's memory follows the host, not its cache.
 * Call it before `Worker.create`; 0 leaves V8's own limit.
 */
export function limitWorkflowThreadHeap(mib: number): void {
  if (mib > 0) setFlagsFromString(`--max-old-space-size=${mib}`);
}
