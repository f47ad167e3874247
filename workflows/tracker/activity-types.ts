import type { StatusChange } from './definitions';

export interface PollResult {
  changes: StatusChange[];
  /** `rechercher/fournisseur` pages read for this poll (the cost of one poll). */
  pages: number;
  /** Chorus time of the most recent change in this poll, to ask only for newer ones next time. */
  cursor?: string;
}

export interface TrackerActivities {
  pollInvoiceChanges(input: { connectionId: string; since?: string; pageSize: number }): Promise<PollResult>;
}
