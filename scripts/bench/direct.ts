import { toChorusSubmitBody } from '../../domain/chorus-invoice';
import { InvoiceInput } from '../../domain/invoice';
import { BuyerDirectory } from '../../activities/buyer-directory';
import { ChorusClient, type ChorusCredentials } from '../../activities/chorus/client';
import { PisteTokenCache } from '../../activities/chorus/token-cache';
import { createLogger } from '../../platform/logger';
import type { BenchInvoiceBody } from './workload';

/**
 * The Chorus calls the direct script makes for each invoice, in order (after one token and supplier
 * look-up); the buyer's three are made once per buyer, as the service caches them too.
 */
export const DIRECT_OPERATIONS = [
  'structures/rechercher (once per buyer)',
  'structures/consulter (once per buyer)',
  'structures/rechercher/services (once per buyer)',
  'transverses/ajouter/fichier',
  'factures/soumettre',
] as const;

/**
 * The same Chorus calls a plain invoice needs before DEPOSEE, one after the other in this process,
 * with the service's own got-based client, buyer cache and soumettre body: no Temporal, no database,
 * no retries.
 * Returns the seconds each invoice took, from its first call to soumettre's answer.
 */
export async function runDirect(
  simulatorUrl: string,
  credentials: ChorusCredentials & { supplierSiret: string },
  invoices: Array<{ body: BenchInvoiceBody }>,
): Promise<number[]> {
  const client = new ChorusClient({
    endpoints: { tokenUrl: `${simulatorUrl}/api/oauth/token`, apiBaseUrl: `${simulatorUrl}/cpro` },
    environment: 'simulator',
    credentials,
    timeoutMs: 30_000,
    tokenCache: new PisteTokenCache(),
    logger: createLogger({ name: 'bench-direct', level: 'warn' }),
  });
  // Once per run, as the service caches them: a token and the supplier's structure id.
  await client.obtainAccessToken();
  const suppliers = await client.activeSupplierStructures();
  const idFournisseur =
    suppliers.listeStructures.find((s) => s.identifiant === credentials.supplierSiret)?.idStructureCPP ?? 0;

  const buyers = new BuyerDirectory(60 * 60_000);
  const seconds: number[] = [];
  for (const { body } of invoices) {
    const invoice = InvoiceInput.parse(body);
    const started = performance.now();
    const buyer = await buyers.structure(client, 'simulator', invoice.buyer.siret);
    if (!buyer) throw new Error(`direct script: buyer ${invoice.buyer.siret} not found`);
    const attachments = [];
    for (const attachment of invoice.attachments) {
      const uploaded = await client.uploadFile({
        pieceJointeFichier: attachment.contentBase64 ?? '',
        pieceJointeNom: attachment.fileName,
        pieceJointeTypeMime: 'application/pdf',
        pieceJointeExtension: 'PDF',
      });
      attachments.push({
        fileName: attachment.fileName,
        type: attachment.type,
        main: attachment.main,
        pieceJointeId: uploaded.pieceJointeId,
      });
    }
    await client.submitInvoice(
      toChorusSubmitBody({ ...invoice, attachments: [] }, { idFournisseur, attachments }),
    );
    seconds.push((performance.now() - started) / 1000);
  }
  return seconds;
}
