import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';

import {
  envFlag,
  envString,
  FLAG_VALUES,
  InvalidConfigError,
  parseServiceUrl,
  validateEnv,
} from '../config/validate-env';
import { DEFAULT_CANDIDATE_POSTINGS } from './bm25/bm25';

class MemoryEnv {
  @IsOptional() @IsIn(FLAG_VALUES) MEMORY_ENABLED?: string;
  // DATABASE_URL is checked by hand below: the generic message would echo its password.
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional() @IsInt() @Min(1) MEMORY_MAX_TOKENS?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) MEMORY_MIN_SCORE?: number;
  @IsOptional() @IsInt() @Min(1) MEMORY_RETRIEVAL_TIMEOUT_MS?: number;
  @IsOptional() @IsInt() @Min(0) MEMORY_SEARCH_CANDIDATE_POSTINGS?: number;
  @IsOptional() @IsInt() @Min(0) MEMORY_WRITE_RETRY_MS?: number;
  @IsOptional() @IsInt() @Min(1) MEMORY_WRITE_QUEUE_MAX?: number;
  @IsOptional() @IsString() MEMORY_EMBEDDINGS_MODEL?: string;
  @IsOptional() @IsNumber() @Min(-1) @Max(1) MEMORY_MIN_SIMILARITY?: number;
  @IsOptional() @IsIn(FLAG_VALUES) MULTI_REPLICA?: string;
}

export const memoryConfig = registerAs('memory', () => {
  const env = validateEnv(MemoryEnv);
  const enabled =
    env.MEMORY_ENABLED === undefined || env.MEMORY_ENABLED === '' || envFlag(env.MEMORY_ENABLED);
  const databaseUrl = parseDatabaseUrl(envString(process.env.DATABASE_URL));
  if (env.MULTI_REPLICA !== undefined && envFlag(env.MULTI_REPLICA)) {
    requireSharedState(enabled, databaseUrl);
  }
  return {
    enabled,
    /** Undefined: the embedded SQLite store, in `dataDir` (`memory://`: in memory, for tests). */
    databaseUrl,
    dataDir: envString(env.DATA_DIR) ?? './data',
    /** Budget for the memories injected into one request. */
    maxTokens: env.MEMORY_MAX_TOKENS ?? 1000,
    /**
     * Relevance threshold on the text score's (0, 1) scale, BM25 s mapped to s / (s + 1): a
     * memory matching only a word found in half the namespace scores about 0.3, one rare word
     * about 0.8.
     */
    minScore: env.MEMORY_MIN_SCORE ?? 0.1,
    /**
     * Postings a search reads to generate candidates (see bm25/bm25.ts); 0 reads every posting
     * of every query term (exact BM25, slower on large namespaces).
     */
    searchCandidatePostings: env.MEMORY_SEARCH_CANDIDATE_POSTINGS ?? DEFAULT_CANDIDATE_POSTINGS,
    /** Longest a completion waits for retrieval before going on without memory. */
    retrievalTimeoutMs: env.MEMORY_RETRIEVAL_TIMEOUT_MS ?? 1000,
    /** How long completed turns are retried while the store is down before being given up. */
    writeRetryMs: env.MEMORY_WRITE_RETRY_MS ?? 300_000,
    /** Turns held for writing at most; beyond it the oldest are given up (and logged). */
    writeQueueMax: env.MEMORY_WRITE_QUEUE_MAX ?? 10_000,
    embeddingsModel: envString(env.MEMORY_EMBEDDINGS_MODEL),
    /** Least cosine similarity for a vector match in hybrid ranking. */
    minSimilarity: env.MEMORY_MIN_SIMILARITY ?? 0.3,
  };
});

export type MemoryConfig = ReturnType<typeof memoryConfig>;

/**
 * MULTI_REPLICA=true (set by the multi-replica manifests): several gateways serve the same
 * clients, so memories must live in Postgres (each pod's embedded store would hold a part of
 * them) and rate limits in Redis. Without them the gateway refuses to start, saying so.
 */
function requireSharedState(memoryEnabled: boolean, databaseUrl: string | undefined): void {
  const missing = [
    ...(memoryEnabled && databaseUrl === undefined ? ['DATABASE_URL (shared memories)'] : []),
    ...(envString(process.env.REDIS_URL) === undefined ? ['REDIS_URL (shared rate limits)'] : []),
  ];
  if (missing.length > 0) {
    throw new InvalidConfigError(
      `MULTI_REPLICA=true needs ${missing.join(' and ')}: replicas cannot share the embedded ` +
        'memory store or count rate limits together without them.',
    );
  }
}

export function parseDatabaseUrl(value: string | undefined): string | undefined {
  return parseServiceUrl(
    'DATABASE_URL',
    value,
    ['postgres:', 'postgresql:'],
    'postgres://user:password@host:5432/database',
  );
}
