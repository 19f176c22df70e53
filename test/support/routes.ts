import type { FastifyInstance } from 'fastify';

export interface AppRoute {
  method: string;
  /** As registered, in Fastify's notation: `/api/users/:id`. */
  url: string;
}

/** `│   ├── /:id (GET, HEAD)`: the tree's indentation, the segment, its methods (if any). */
const LINE = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/;

/**
 * Every route the built app serves, read from `printRoutes` (the routes are registered inside
 * `buildApp`, too early for a test's `onRoute` hook). Each line of the tree is a segment that
 * continues its parent's path; the OpenAPI document would miss routes hidden from it.
 */
export function listRoutes(app: FastifyInstance): AppRoute[] {
  const routes: AppRoute[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    if (line.trim() === '') continue;
    const parsed = LINE.exec(line);
    if (parsed === null) throw new Error(`unexpected printRoutes line: ${line}`);
    const [, indent = '', segment = '', methods] = parsed;
    const depth = indent.length / 4;
    parents.length = depth;
    const url = `${parents.join('')}${segment}`;
    parents.push(segment);
    for (const method of methods?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}
