import { setTimeout as sleep } from 'node:timers/promises';

export interface RepeatingRoundOptions {
  /** One round of work; resolves true when more work is ready now (the next round starts at once). */
  round: () => Promise<boolean>;
  /** The pause after a round that found nothing more to do. */
  pauseMs: number;
  /** A failed round is reported and the loop goes on: the next round retries. */
  onError: (err: Error) => void;
}

/**
 * A background loop of rounds (the webhook outbox, the archiver): started once, paused between
 * rounds, and stopped promptly (the pause is cut short) after the round under way has finished.
 */
export class RepeatingRound {
  private running?: Promise<void>;
  private stopping = false;
  private wake?: AbortController;

  constructor(private readonly options: RepeatingRoundOptions) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        let more = false;
        try {
          more = await this.options.round();
        } catch (err) {
          this.options.onError(err as Error);
        }
        if (more || this.stopping) continue;
        this.wake = new AbortController();
        await sleep(this.options.pauseMs, undefined, { signal: this.wake.signal }).catch(() => undefined);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.abort();
    await this.running;
    this.running = undefined;
  }
}
