import type { Dataset, StructureRecord } from '../dataset';
import type { InvoiceRouting } from './store';

/**
 * Routing rules shared by `soumettre` and `recycler`: the buyer, its service and the engagement
 * number, as the buyer's `parametres` and the service's `numeroEngagement` flag demand
 * (API-FACTS §4.2, DESIGN §3 CHECKING).
 */

export type RoutingRule =
  | 'DESTINATAIRE_INCONNU'
  | 'DESTINATAIRE_INACTIF'
  | 'SERVICE_OBLIGATOIRE'
  | 'SERVICE_INCONNU'
  | 'SERVICE_INACTIF'
  | 'SERVICE_FACTURES_PUBLIQUES'
  | 'ENGAGEMENT_OBLIGATOIRE'
  | 'SERVICE_OU_ENGAGEMENT'
  | 'ENGAGEMENT_TROP_LONG'
  | 'ENGAGEMENT_INCONNU'
  | 'LONGUEUR';

export interface RoutingRequest {
  codeDestinataire: string;
  codeServiceExecutant?: string | null;
  numeroBonCommande?: string | null;
}

export type RoutingCheck =
  { ok: true; routing: InvoiceRouting } | { ok: false; rule: RoutingRule; libelle: string };

const MAX_SERVICE_CODE = 100;
const MAX_ENGAGEMENT = 50;
export const PUBLIC_INVOICES_SERVICE = 'FACTURES_PUBLIQUES';

function blankToUndefined(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Structures that can receive invoices: the public buyers of the data set. */
export function buyerBySiret(dataset: Dataset, siret: string): StructureRecord | undefined {
  return dataset.structures.find((s) => s.siret === siret && s.type === 'PUBLIQUE');
}

export function checkRouting(
  dataset: Dataset,
  supplier: StructureRecord,
  request: RoutingRequest,
): RoutingCheck {
  const refuse = (rule: RoutingRule, libelle: string): RoutingCheck => ({ ok: false, rule, libelle });
  const siret = request.codeDestinataire.trim();
  const buyer = buyerBySiret(dataset, siret);
  if (!buyer) {
    return refuse(
      'DESTINATAIRE_INCONNU',
      `Le destinataire ${siret} n'est pas une structure publique connue de Chorus Pro`,
    );
  }
  if (buyer.statut !== 'ACTIVE') {
    return refuse(
      'DESTINATAIRE_INACTIF',
      `La structure destinataire ${siret} (${buyer.designation}) n'est pas active : elle ne peut pas recevoir de facture`,
    );
  }

  const serviceCode = blankToUndefined(request.codeServiceExecutant);
  const engagement = blankToUndefined(request.numeroBonCommande);
  const flags = buyer.parametres;

  let service: InvoiceRouting['service'];
  if (serviceCode !== undefined) {
    if (serviceCode.length > MAX_SERVICE_CODE) {
      return refuse('LONGUEUR', `Le code service exécutant dépasse ${MAX_SERVICE_CODE} caractères`);
    }
    service = buyer.services.find((s) => s.codeService === serviceCode);
    if (!service) {
      return refuse(
        'SERVICE_INCONNU',
        `Le service exécutant ${serviceCode} n'existe pas pour la structure destinataire ${siret}`,
      );
    }
    if (!service.estActif) {
      return refuse(
        'SERVICE_INACTIF',
        `Le service exécutant ${serviceCode} de la structure destinataire ${siret} n'est pas actif`,
      );
    }
    if (service.codeService === PUBLIC_INVOICES_SERVICE && supplier.type === 'PRIVEE') {
      return refuse(
        'SERVICE_FACTURES_PUBLIQUES',
        `Le service ${PUBLIC_INVOICES_SERVICE} est réservé aux factures émises par une structure publique`,
      );
    }
  } else if (flags.codeServiceDoitEtreRenseigne) {
    return refuse(
      'SERVICE_OBLIGATOIRE',
      `Le code service exécutant est obligatoire pour la structure destinataire ${siret}`,
    );
  }

  const engagementRequired = flags.numeroEJDoitEtreRenseigne || service?.numeroEngagement === true;
  if (engagement === undefined && engagementRequired) {
    return refuse(
      'ENGAGEMENT_OBLIGATOIRE',
      service?.numeroEngagement
        ? `Le numéro d'engagement est obligatoire pour le service exécutant ${service.codeService}`
        : `Le numéro d'engagement est obligatoire pour la structure destinataire ${siret}`,
    );
  }
  if (flags.gestionNumeroEJOuCodeService && service === undefined && engagement === undefined) {
    return refuse(
      'SERVICE_OU_ENGAGEMENT',
      `La structure destinataire ${siret} exige un code service exécutant ou un numéro d'engagement`,
    );
  }

  if (engagement !== undefined) {
    if (engagement.length > MAX_ENGAGEMENT) {
      return refuse('ENGAGEMENT_TROP_LONG', `Le numéro d'engagement dépasse ${MAX_ENGAGEMENT} caractères`);
    }
    // An engagement that routes the invoice must be real where Chorus Pro knows the buyer's
    // engagements; a local authority's purchase order, or a free order reference, need not be.
    const routesTheInvoice = engagementRequired || (flags.gestionNumeroEJOuCodeService && !service);
    if (routesTheInvoice && buyer.engagementsInChorus !== false) {
      const issued = buyer.engagements.find(
        (ej) =>
          ej.numeroEngagementJuridique === engagement && ej.idStructureReceptrice === supplier.idStructureCPP,
      );
      if (issued && issued.etat !== 'COMMANDE') {
        return refuse(
          'ENGAGEMENT_INCONNU',
          `L'engagement juridique ${engagement} est clôturé (${issued.etat}) : il ne peut plus recevoir de facture de la structure destinataire ${siret}`,
        );
      }
      if (!issued) {
        return refuse(
          'ENGAGEMENT_INCONNU',
          `Le numéro d'engagement ${engagement} n'existe pas pour la structure destinataire ${siret}`,
        );
      }
    }
  }

  return {
    ok: true,
    routing: {
      buyer,
      ...(service ? { service } : {}),
      ...(engagement !== undefined ? { numeroBonCommande: engagement } : {}),
    },
  };
}
