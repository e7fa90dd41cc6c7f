import { MemoryRecord } from '../memory.types';

/** Rows of the embedded store's memories table as the driver returns them, and their mapping. */
export interface MemoryRow {
  seq: number;
  id: string;
  namespace: string;
  role: string;
  content: string;
  model: string | null;
  request_id: string | null;
  metadata: string;
  created_at: number;
}

export const COLUMNS = 'seq, id, namespace, role, content, model, request_id, metadata, created_at';

/** The synchronous driver's answer, as a promise (its errors as rejections). */
export function run<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

export function toRecord(row: MemoryRow): MemoryRecord & { seq: number } {
  return {
    seq: row.seq,
    id: row.id,
    namespace: row.namespace,
    role: row.role,
    content: row.content,
    model: row.model,
    requestId: row.request_id,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    createdAt: new Date(row.created_at),
  };
}

export function stripSeq({ seq: _seq, ...memory }: MemoryRecord & { seq: number }): MemoryRecord {
  return memory;
}
