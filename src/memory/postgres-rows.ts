import { MemoryRecord } from './memory.types';

/** Rows of the Postgres store's memories table as pg returns them, and their mapping. */
export interface MemoryRow {
  id: string;
  seq: string | number;
  namespace: string;
  role: string;
  content: string;
  model: string | null;
  request_id: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

/** Appends a parameter and returns its placeholder. */
export function param(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

export function toRecord(row: MemoryRow): MemoryRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    role: row.role,
    content: row.content,
    model: row.model,
    requestId: row.request_id,
    metadata: row.metadata,
    // A fresh Date whatever the driver handed back (a Date of another realm under Jest).
    createdAt: new Date(row.created_at),
  };
}
