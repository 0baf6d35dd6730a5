import type { ArtifactRef } from '../artifacts/ArtifactStore.ts';
import type { LlmRequest, LlmResponse } from '../llm/LlmClient.ts';
import type { FetchOptions, FetchedPage } from './httpGet.ts';

/** `ctx.artifacts`: the content-addressed store, scoped to the running item and stage. */
export interface ArtifactsApi {
  /**
   * Stores bytes or text; returns `{ sha256, size, content_type }`. Put the ref in the output
   * (and `_artifacts`) so later stages and `gc` can find it. A large Buffer is moved to a
   * worker thread: do not use it after this call.
   */
  put(data: Uint8Array | string, contentType?: string): Promise<ArtifactRef>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): boolean;
  getText(sha256: string): Promise<string>;
  /** Artifact refs found in upstream outputs (`{ artifact: { sha256 } }`), optionally of one stage. */
  upstream(stage?: string): { stage: string; ref: ArtifactRef }[];
  /** Other items of this job whose stored results reference the same content. */
  duplicates(sha256: string): number[];
  /** Path on disk (for tools that take a file). */
  pathOf(sha256: string): string;
}

/** `ctx.llm`: calls a configured provider; usage is recorded as this run's cost automatically. */
export interface LlmApi {
  complete(req: Omit<LlmRequest, 'signal'>): Promise<LlmResponse>;
}

/** `ctx.http`: the fetch built-in's GET (timeouts, limits, proxy, block-page detection). */
export interface HttpApi {
  get(url: string, options?: Partial<FetchOptions>): Promise<FetchedPage>;
}
