import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { allLabels, allMessages } from '../domain/messages';
import { ANSWERABLE_FIELDS } from '../domain/task-answers';
import { ACTING_USER } from './auth';

/** Where the back-office pages live (plain HTML, CSS and ES modules, no build step): next to api/ from
 * the sources, two levels up from dist/api/ in a build. */
export const WEB_DIR = [path.join(__dirname, '..', 'web'), path.join(__dirname, '..', '..', 'web')].find(
  (dir) => existsSync(path.join(dir, 'index.html')),
)!;

/** A JavaScript module built once from the server's own definitions, served with an ETag. */
interface GeneratedModule {
  body: string;
  etag: string;
}

function generatedModule(exports: Record<string, unknown>): GeneratedModule {
  const body = Object.entries(exports)
    .map(([name, value]) => `export const ${name} = ${JSON.stringify(value, null, 1)};\n`)
    .join('');
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * `/app/messages.js`: the one message catalogue (every sentence and label, French and English),
 * so the pages take their texts from the same entries as the API. It holds no secret.
 */
export function catalogueModule(): GeneratedModule {
  return generatedModule({ MESSAGES: allMessages(), LABELS: allLabels() });
}

/**
 * `/app/rules.js`: the rules an answer to a task must follow, as JSON Schemas rendered from the
 * zod schemas the workflow validates with, and the rule of the person's name the API checks; the
 * pages check a form with them before sending, and say what is wrong in French.
 */
export function rulesModule(): GeneratedModule {
  const FIELD_RULES = Object.fromEntries(
    Object.entries(ANSWERABLE_FIELDS).map(([field, schema]) => [
      field,
      z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    ]),
  );
  return generatedModule({
    FIELD_RULES,
    ACTING_USER_RULE: { source: ACTING_USER.source, flags: ACTING_USER.flags },
  });
}

function serve(module: GeneratedModule) {
  return (req: express.Request, res: Response) => {
    // Revalidated on each load (a new server may bring new texts), answered 304 when unchanged.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', module.etag);
    if (req.header('if-none-match') === module.etag) {
      res.status(304).end();
      return;
    }
    res.type('text/javascript; charset=utf-8').send(module.body);
  };
}

/**
 * The back-office under /app: the generated modules, static files, and index.html for any other
 * /app path (the pages route with the URL hash). The pages need no key; every data call they
 * make carries one.
 */
export function webRoutes(dir = WEB_DIR): Router {
  const router = Router({ caseSensitive: true });
  router.get('/messages.js', serve(catalogueModule()));
  router.get('/rules.js', serve(rulesModule()));
  router.use(express.static(dir, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  router.get(/.*/, (_req, res) => {
    res.sendFile(path.join(dir, 'index.html'));
  });
  return router;
}
