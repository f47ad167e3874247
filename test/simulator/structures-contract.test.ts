import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { structureByScenario } from '../../simulator/dataset';
import { startSimulatorHarness, type SimulatorHarness } from './simulator-harness';

/**
 * Contract test: every Structures operation the simulator implements is called over HTTP, and
 * the body sent and the 200 answer received are validated against the official Swagger 2.0.
 */

// The official Swagger, vendored with its source noted in docs/chorus-pro/README.md.
const SWAGGER_PATH = path.resolve(__dirname, '../../docs/chorus-pro/Structures.swagger.json');

interface SwaggerOperation {
  operationId: string;
  parameters: { in: string; schema?: { $ref: string } }[];
  responses: Record<string, { schema?: { $ref: string } }>;
}
interface Swagger {
  basePath: string;
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, JsonSchema>;
}
type JsonSchema = { [key: string]: unknown };

/** Definitions whose real answers carry more fields than the Swagger declares (API-FACTS §4.2). */
const OPEN_DEFINITIONS = new Set(['ServiceExpose']);

/** Swagger 2.0 definitions → JSON Schema: refs rewritten to our schema id, Swagger-only keywords dropped. */
function toJsonSchema(node: unknown, closeObjects: boolean, definition?: string): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, closeObjects));
  if (!node || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'xml') continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/definitions/', `${closeObjects ? 'request' : 'response'}#/definitions/`);
    } else if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema, closeObjects)]),
      );
    } else {
      out[key] = toJsonSchema(value, closeObjects);
    }
  }
  // Requests are closed so a misspelt field fails; responses only where real answers match exactly.
  if (
    out.type === 'object' &&
    out.properties &&
    !(definition && !closeObjects && OPEN_DEFINITIONS.has(definition))
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function buildAjv(swagger: Swagger): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/);
  for (const [id, close] of [
    ['request', true],
    ['response', false],
  ] as const) {
    const definitions = Object.fromEntries(
      Object.entries(swagger.definitions).map(([name, schema]) => [name, toJsonSchema(schema, close, name)]),
    );
    ajv.addSchema({ $id: id, definitions });
  }
  return ajv;
}

const swagger = JSON.parse(readFileSync(SWAGGER_PATH, 'utf8')) as Swagger;
const ajv = buildAjv(swagger);

function validatorsOf(operation: string): { request: ValidateFunction; response: ValidateFunction } {
  const declared = swagger.paths[`/v1/${operation}`]?.post;
  if (!declared) throw new Error(`Swagger declares no POST /v1/${operation}`);
  const requestRef = declared.parameters.find((p) => p.in === 'body')?.schema?.$ref;
  const responseRef = declared.responses['200']?.schema?.$ref;
  if (!requestRef || !responseRef) throw new Error(`${operation}: body or 200 schema missing in the Swagger`);
  return {
    request: ajv.compile({ $ref: requestRef.replace('#/definitions/', 'request#/definitions/') }),
    response: ajv.compile({ $ref: responseRef.replace('#/definitions/', 'response#/definitions/') }),
  };
}

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness();
});
afterAll(() => h.close());

const scenario = (name: string) => structureByScenario(h.sim.ctx.dataset, name);

/** Request bodies per operation; functions because the data set exists only once the simulator runs. */
const CASES: Record<string, [string, () => unknown][]> = {
  rechercher: [
    [
      'by SIRET',
      () => ({
        structure: {
          identifiantStructure: scenario('buyer.recycles').siret,
          typeIdentifiantStructure: 'SIRET',
        },
      }),
    ],
    [
      'all filters and paging',
      () => ({
        structure: { statutStructure: 'ACTIF', typeStructure: 'PUBLIQUE', raisonSocialeStructure: 'COMMUNE' },
        restreindreStructuresPrivees: true,
        parametres: {
          nbResultatsParPage: 2,
          pageResultatDemandee: 1,
          triColonne: 'DesignationStructure',
          triSens: 'Ascendant',
        },
      }),
    ],
    [
      'open to private structures, page 2',
      () => ({ restreindreStructuresPrivees: false, parametres: { pageResultatDemandee: 2 } }),
    ],
    ['an empty search', () => ({ structure: { identifiantStructure: '00000000000000' } })],
  ],
  consulter: [
    [
      'a buyer',
      () => ({ idStructureCPP: scenario('buyer.service-or-engagement').idStructureCPP, codeLangue: 'fr' }),
    ],
    [
      'the supplier itself',
      () => ({ idStructureCPP: scenario('supplier.default').idStructureCPP, codeLangue: 'fr' }),
    ],
  ],
  'rechercher/services': [
    [
      'a page of services',
      () => ({
        idStructure: scenario('buyer.many-services').idStructureCPP,
        parametresRechercherServicesStructure: {
          nbResultatsParPage: 5,
          pageResultatDemandee: 2,
          triColonne: 'LibelleService',
          triSens: 'Descendant',
        },
      }),
    ],
    ['with inactive services', () => ({ idStructure: scenario('buyer.inactive-service').idStructureCPP })],
  ],
  'consulter/service': [
    [
      'a service',
      () => {
        const buyer = scenario('buyer.service-requires-engagement');
        return {
          idStructure: buyer.idStructureCPP,
          idService: buyer.services[0].idService,
          codeLangue: 'fr',
        };
      },
    ],
  ],
};

/** Declared by the Swagger but not simulated: the gateway answers 403 like for any unknown route. */
const NOT_SIMULATED = ['lister/rattachementsutilisateur', 'rechercher/espaces'];

describe('Structures API contract (official Swagger 2.0)', () => {
  it('covers every operation of the Swagger, or says it does not simulate it', () => {
    const declared = Object.keys(swagger.paths).map((p) => p.replace(/^\/v1\//, ''));
    expect([...Object.keys(CASES), ...NOT_SIMULATED].sort()).toEqual(declared.sort());
  });

  it.each(NOT_SIMULATED)('answers 403 to the unsimulated %s', async (operation) => {
    expect((await h.call(`structures/v1/${operation}`, { body: {} })).status).toBe(403);
  });

  const cases = Object.entries(CASES).flatMap(([operation, bodies]) =>
    bodies.map(([label, body]) => [operation, label, body] as const),
  );
  it.each(cases)('%s (%s): request and 200 answer match the Swagger', async (operation, _label, makeBody) => {
    const { request, response } = validatorsOf(operation);
    const body = makeBody();
    expect({ valid: request(body), errors: request.errors ?? [] }).toEqual({ valid: true, errors: [] });
    const reply = await h.call(`structures/v1/${operation}`, { body });
    expect(reply.status).toBe(200);
    expect({ valid: response(reply.body), errors: response.errors ?? [] }).toEqual({
      valid: true,
      errors: [],
    });
  });

  it('catches an answer that breaks the Swagger (the validator is not vacuous)', () => {
    const { response } = validatorsOf('rechercher');
    expect(response({ codeRetour: 0 })).toBe(false);
    expect(response({ codeRetour: 0, libelle: 'x', listeStructures: [{ statut: 'ACTIF' }] })).toBe(false);
    expect(response({ codeRetour: 0, libelle: 'x', listeStructures: [{ idStructureCPP: 'abc' }] })).toBe(
      false,
    );
    expect(validatorsOf('consulter').request({ idStructure: 1 })).toBe(false);
  });
});
