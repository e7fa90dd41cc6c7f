import type { Database } from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

import { contentHash } from '../repository-limits';
import { scopeToken } from './sqlite-search';
import { toBlob } from './sqlite-vectors';

/** Where the previous release kept its embedded (PGlite) store, under DATA_DIR. */
export const PGLITE_DIR = 'pglite';
/** What that directory is renamed to once imported: kept until the operator deletes it. */
export const PGLITE_IMPORTED_DIR = 'pglite.imported';
const PAGE = 1000;

interface PgliteRow {
  id: string;
  tenant: string;
  namespace: string;
  role: string;
  content: string;
  model: string | null;
  request_id: string | null;
  metadata: Record<string, unknown>;
  created_at: Date | string;
  context: string | null;
  embedding: number[] | null;
}

/** True when DATA_DIR holds a PGlite store of the previous release not yet imported. */
export function hasPgliteStore(dataDir: string): boolean {
  return existsSync(join(dataDir, PGLITE_DIR, 'PG_VERSION'));
}

/**
 * Copies every memory of the previous release's PGlite store into SQLite (ids, dates, metadata,
 * context and vectors kept), in one transaction, then renames the old directory so this runs
 * once. PGlite (hundreds of MB) is loaded only here, only when such a directory exists.
 * Returns how many memories were imported.
 */
export async function importPgliteStore(dataDir: string, db: Database): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const source = await PGlite.create(join(dataDir, PGLITE_DIR));
  let count = 0;
  try {
    const insert = db.prepare(
      `INSERT INTO memories (id, tenant, namespace, scope, role, content, content_hash, model,
         request_id, metadata, created_at, context, conversation, embedding)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    const rows: PgliteRow[] = [];
    const table = await source.query<{ found: boolean }>(
      "SELECT to_regclass('memories') IS NOT NULL AS found",
    );
    for (let offset = 0; table.rows[0].found; offset += PAGE) {
      const page = await source.query<PgliteRow>(
        `SELECT id::text AS id, tenant, namespace, role, content, model, request_id, metadata,
           created_at, context, embedding
         FROM memories ORDER BY seq LIMIT $1 OFFSET $2`,
        [PAGE, offset],
      );
      rows.push(...page.rows);
      if (page.rows.length < PAGE) {
        break;
      }
    }
    db.transaction(() => {
      for (const row of rows) {
        count += insert.run(
          row.id,
          row.tenant,
          row.namespace,
          scopeToken(row.tenant, row.namespace),
          row.role,
          row.content,
          contentHash(row.content),
          row.model,
          row.request_id,
          JSON.stringify(row.metadata ?? {}),
          new Date(row.created_at).getTime(),
          row.context,
          // Captured turns carry a model, API conversation turns a context: conversation turns.
          row.model !== null || row.context !== null ? 1 : 0,
          row.embedding === null ? null : toBlob(row.embedding),
        ).changes;
      }
    }).immediate();
  } finally {
    await source.close();
  }
  renameSync(join(dataDir, PGLITE_DIR), join(dataDir, PGLITE_IMPORTED_DIR));
  return count;
}
