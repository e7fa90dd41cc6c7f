export { VECTOR_WINDOW } from '../memory-search.sql';

/** A unit vector as little-endian float32s, the BLOB the embedded store keeps. */
export function toBlob(vector: number[]): Buffer {
  const floats = Float32Array.from(vector, (value) => (Number.isFinite(value) ? value : 0));
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
}

function fromBlob(blob: Buffer): Float32Array {
  // A copy: the driver's buffer need not be 4-byte aligned.
  const bytes = Uint8Array.prototype.slice.call(blob);
  return new Float32Array(bytes.buffer, 0, Math.floor(bytes.byteLength / 4));
}

/** Seqs by cosine similarity (dot product of unit vectors), at least `min`, best first. */
export function rankBySimilarity(
  rows: ReadonlyArray<{ seq: number; embedding: Buffer }>,
  query: number[],
  min: number,
): number[] {
  return rows
    .map((row) => {
      const vector = fromBlob(row.embedding);
      let sim = 0;
      for (let i = 0; i < Math.min(vector.length, query.length); i += 1) {
        sim += vector[i] * query[i];
      }
      return { seq: row.seq, sim };
    })
    .filter((hit) => hit.sim >= min)
    .sort((a, b) => b.sim - a.sim)
    .map((hit) => hit.seq);
}
