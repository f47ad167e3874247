import type { Client } from '@temporalio/client';
import { invoiceStateQuery, type InvoiceView } from '../workflows/contracts/invoice';

/** How long a list waits for one invoice's answer when it learns a buyer's name. */
const NAME_QUERY_DEADLINE_MS = 2_000;

/** The buyer's name as Chorus Pro gave it when the workflow last evaluated the checklist. */
export function buyerNameOf(view: InvoiceView): string | undefined {
  for (let i = view.audit.length - 1; i >= 0; i--) {
    const fact = view.audit[i];
    if (fact.kind === 'checklist.evaluated' && fact.basis.buyer) return fact.basis.buyer.designation;
  }
  return undefined;
}

interface Listed {
  id: string;
  buyerSiret?: string;
  closedAt?: string;
}

/**
 * Buyer names by SIRET, for lists and searches: Temporal visibility holds the SIRET only, the name
 * is in the workflows' state. Learned from every invoice the API reads, and for a SIRET not seen
 * yet from one of its invoices (an open one first); a name per buyer, kept for the process.
 */
export class BuyerNames {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly max = 10_000,
  ) {}

  learn(view: InvoiceView): void {
    const name = buyerNameOf(view);
    if (name && this.names.size < this.max) this.names.set(view.invoice.buyer.siret, name);
  }

  nameOf(siret: string | undefined): string | undefined {
    return siret === undefined ? undefined : this.names.get(siret);
  }

  /** Learns the names of the listed invoices' buyers not known yet (one invoice asked per buyer). */
  async learnFrom(listed: Listed[]): Promise<void> {
    const unknown = new Map<string, Listed>();
    for (const item of listed) {
      if (!item.buyerSiret || this.names.has(item.buyerSiret)) continue;
      const chosen = unknown.get(item.buyerSiret);
      if (!chosen || (chosen.closedAt && !item.closedAt)) unknown.set(item.buyerSiret, item);
    }
    await Promise.all(
      [...unknown.values()].map((item) =>
        this.client.connection
          .withDeadline(Date.now() + NAME_QUERY_DEADLINE_MS, () =>
            this.client.workflow.getHandle(item.id).query(invoiceStateQuery),
          )
          .then((view) => this.learn(view))
          .catch(() => undefined),
      ),
    );
  }
}

/** Lower case, accents removed: « Préfecture » matches "prefecture". */
export function searchable(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
