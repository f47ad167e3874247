import express from 'express';
import { z } from 'zod';
import { callerOf, supplierStructuresOf, type SimulatorContext } from '../context';
import type { StructureRecord } from '../dataset';
import { paginate, sendEmptySearch, sendOk } from '../envelope';
import { paginationOf, paginationSchema, readBody, sortByColumn } from './request';

/** `/cpro/utilisateurs/v1`: the technical account's own attachments (API-FACTS §4.3). */
export function createUtilisateursRouter(ctx: SimulatorContext): express.Router {
  const router = express.Router();

  router.post('/monCompte/recuperer/rattachements', (req, res) => {
    ctx.counters.recordCall('utilisateurs/monCompte/recuperer/rattachements');
    const body = readBody(res, z.object({ parametresRecherche: paginationSchema }).loose(), req.body);
    if (!body) return;
    const structures = supplierStructuresOf(ctx, callerOf(res));
    if (structures.length === 0) {
      sendEmptySearch(res, 'listeStructureRattachement');
      return;
    }
    const pagination = paginationOf(body.parametresRecherche);
    const { page, parametresRetour } = paginate(
      sortByColumn(structures, ATTACHMENT_COLUMNS, pagination),
      pagination,
    );
    sendOk(res, { listeStructureRattachement: page.map(attachmentOf), parametresRetour });
  });

  return router;
}

const ATTACHMENT_COLUMNS = {
  IdStructure: (s: StructureRecord) => s.idStructureCPP,
  IdentifiantStructure: (s: StructureRecord) => s.siret,
  DesignationStructure: (s: StructureRecord) => s.designation,
};

/** Attachment ids are not in the data set; derived from the structure and service ids so they stay stable. */
function attachmentOf(s: StructureRecord) {
  return {
    idStructure: s.idStructureCPP,
    identifiantStructure: s.siret,
    typeIdentifiantStructure: 'SIRET',
    designationStructure: s.designation,
    roleUtilisateur: 'FOURNISSEUR',
    statutUtilisateur: 'ACTIF',
    statutRattachementStructure: 'VALIDEE',
    idRattachementStructure: 50000000 + (s.idStructureCPP % 10000000),
    listeServicesRattache: s.services.map((service) => ({
      idService: service.idService,
      codeService: service.codeService,
      libelleService: service.libelleService,
      estActif: service.estActif,
      statutService: service.estActif ? 'ACTIF' : 'INACTIF',
      statutRattachementService: 'VALIDEE',
      idRattachementService: 60000000 + (service.idService % 10000000),
      dateDbtService: service.dateDebut.slice(0, 16).replace('T', ' '),
      dateFinService: service.dateFin.slice(0, 16).replace('T', ' '),
    })),
  };
}
