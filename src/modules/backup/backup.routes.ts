import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import tar from 'tar-stream';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, BinaryBody, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED, SESSION_ONLY } from '../../http/openapi.js';
import type { Executor } from '../../infra/db/database.js';
import type { RequireRole } from '../auth/auth.guard.js';
import type { BackupAdmin } from './backup-admin.service.js';
import { backupMetrics, prometheusText } from './backup-metrics.js';
import type { BackupRunsRepo } from './backup-runs.repo.js';
import {
  BackupIdParams,
  BackupOverviewSchema,
  BackupRunIdParams,
  BackupRunSchema,
} from './backup.schemas.js';

export interface BackupRoutesDeps {
  requireRole: RequireRole;
  backupAdmin: BackupAdmin;
  /** For the metrics, read at scrape time. */
  db: Executor;
  backupRuns: BackupRunsRepo;
}

/**
 * Streams the files into a tar, one after another. A read error cuts the download short (the
 * client sees a truncated tar, never a complete-looking one).
 */
function sendTar(
  reply: FastifyReply,
  archive: Awaited<ReturnType<BackupAdmin['archive']>>,
  onError: (error: unknown) => void,
): FastifyReply {
  const pack = tar.pack();
  const body = new PassThrough();
  void (async () => {
    for (const file of archive.files) {
      const entry = pack.entry({ name: file.name, size: file.size, mode: 0o600 });
      await pipeline(await archive.read(file.name), entry);
    }
    pack.finalize();
  })().catch((error: unknown) => {
    onError(error);
    pack.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  pipeline(pack, body).catch((error: unknown) => {
    body.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return reply.send(body);
}

/**
 * Backups in the admin app: list, create now, follow a run, verify, download. Admins only;
 * downloading a whole installation is for a person's session, not an API key.
 */
export function backupRoutes(deps: BackupRoutesDeps): FastifyPluginAsyncTypebox {
  const { requireRole, backupAdmin } = deps;
  const admin = requireRole('admin');

  return async (app) => {
    app.get(
      '/api/backups',
      {
        onRequest: admin,
        schema: {
          tags: ['backups'],
          summary: 'Backups with their verification state, the schedule and the latest runs',
          security: AUTHENTICATED,
          response: { 200: BackupOverviewSchema, ...AUTH_ERRORS },
        },
      },
      async (_request, reply) =>
        reply.header('cache-control', 'no-store').send(await backupAdmin.overview()),
    );

    app.post(
      '/api/backups',
      {
        onRequest: admin,
        schema: {
          tags: ['backups'],
          summary: 'Back up now: starts a backup job; follow it at /api/backups/runs/{runId}',
          description:
            '409 `backup_not_configured` without BACKUP_PASSPHRASE; 409 `backup_in_progress` ' +
            'while another backup runs (`details.runId`).',
          security: AUTHENTICATED,
          response: { 202: BackupRunSchema, ...AUTH_ERRORS, 409: ErrorBody },
        },
      },
      async (request, reply) =>
        reply.status(202).send(await backupAdmin.requestCreate(actorOf(request))),
    );

    app.get(
      '/api/backups/runs/:runId',
      {
        onRequest: admin,
        schema: {
          tags: ['backups'],
          summary: 'One backup or verify run: progress, then its result',
          security: AUTHENTICATED,
          params: BackupRunIdParams,
          response: { 200: BackupRunSchema, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async (request, reply) =>
        reply.header('cache-control', 'no-store').send(await backupAdmin.run(request.params.runId)),
    );

    app.post(
      '/api/backups/:id/verify',
      {
        onRequest: admin,
        schema: {
          tags: ['backups'],
          summary:
            'Verify a backup: decrypts every file, checks every checksum, opens the database copy',
          security: AUTHENTICATED,
          params: BackupIdParams,
          response: { 202: BackupRunSchema, ...AUTH_ERRORS, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(await backupAdmin.requestVerify(actorOf(request), request.params.id)),
    );

    app.get(
      '/api/backups/:id/archive',
      {
        onRequest: requireRole('admin', { sessionOnly: true }),
        schema: {
          tags: ['backups'],
          summary: 'Download a backup as a tar of its stored files (still encrypted)',
          description:
            'The files as the destination keeps them (identity, manifest, database copies, ' +
            'objects); extract into an empty folder and use it as BACKUP_DIR to restore. ' +
            '404 `not_found` for an unknown or incomplete backup.',
          security: SESSION_ONLY,
          params: BackupIdParams,
          produces: ['application/x-tar'],
          response: { 200: BinaryBody, ...AUTH_ERRORS, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const archive = await backupAdmin.archive(actorOf(request), id);
        reply
          .type('application/x-tar')
          .header('content-disposition', `attachment; filename="vertex-backup-${id}.tar"`)
          .header('cache-control', 'no-store');
        return sendTar(reply, archive, (error) => {
          request.log.error({ err: error, backupId: id }, 'backup archive download failed');
        });
      },
    );

    app.get(
      '/api/backups/metrics',
      {
        onRequest: admin,
        schema: {
          tags: ['backups'],
          summary: 'Backup figures in the Prometheus text format, for alerting',
          description:
            'Last success time, duration and size, last failure time, runs by kind and status; ' +
            'the same on every instance. Scrape with an admin API key as a bearer token.',
          security: AUTHENTICATED,
          produces: ['text/plain'],
          response: { 200: Type.String(), ...AUTH_ERRORS },
        },
      },
      async (_request, reply) =>
        reply
          .type('text/plain; version=0.0.4; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(prometheusText(await backupMetrics(deps.db, deps.backupRuns))),
    );
  };
}
