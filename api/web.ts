import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Where the back-office pages live (plain HTML, CSS and ES modules, no build step): next to api/ from
 * the sources, two levels up from dist/api/ in a build. */
export const WEB_DIR = [path.join(__dirname, '..', 'web'), path.join(__dirname, '..', '..', 'web')].find(
  (dir) => existsSync(path.join(dir, 'index.html')),
)!;

/**
 * The back-office under /app: static files, and index.html for any other /app path (the pages
 * route with the URL hash). The pages need no key; every data call they make carries one.
 */
export function webRoutes(dir = WEB_DIR): Router {
  const router = Router({ caseSensitive: true });
  router.use(express.static(dir, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  router.get(/.*/, (_req, res) => {
    res.sendFile(path.join(dir, 'index.html'));
  });
  return router;
}
