import type { Response } from 'express';
import type { GatewayRoute } from './gateway';

/**
 * What each search answers when it finds nothing: HTTP 200 with a non-zero `codeRetour`. The real
 * platform's code differs per operation (20000 `TRA_MSG_00.015` for `rechercher/recipiendaire`,
 * 20007 `GFT_MSG_01.075` for `facturesTravaux/rechercher`, API-FACTS §3.1); the simulator does the
 * same so a client with one global code fails its tests.
 */
export interface NoResult {
  codeRetour: number;
  libelle: string;
}

const NOTHING_FOUND: NoResult = { codeRetour: 20000, libelle: 'TRA_MSG_00.015' };

export const NO_RESULT_BY_OPERATION: Readonly<Record<string, NoResult>> = {
  'structures/rechercher': NOTHING_FOUND,
  'structures/rechercher/services': NOTHING_FOUND,
  'transverses/recuperer/structures/actives/fournisseur': NOTHING_FOUND,
  'transverses/recuperer/coordbanc/valides': NOTHING_FOUND,
  'transverses/recuperer/typespj': NOTHING_FOUND,
  'utilisateurs/monCompte/recuperer/rattachements': NOTHING_FOUND,
  'engagementsJuridiques/rechercher': NOTHING_FOUND,
  // Simulator's choice for the invoice search: the other evidenced code.
  'factures/rechercher/fournisseur': { codeRetour: 20007, libelle: 'GFT_MSG_01.075' },
};

export function noResultOf(res: Response): NoResult {
  const route = res.locals.route as GatewayRoute | undefined;
  return (route && NO_RESULT_BY_OPERATION[route.operationKey]) ?? NOTHING_FOUND;
}
