/**
 * The token shared by every process of one client. InPlanning keeps one live token per client,
 * so processes share it through a cache file in StateDir and refresh it under a lock, ahead of
 * its expiry; a process whose token was refused first looks for a newer one in the cache.
 */
import path from 'node:path';
import * as z from 'zod';
import { TransientError } from '../errors.js';
import { log, registerSecret } from '../log.js';
import { fileKey, readJsonFile, withFileLock, writeJsonFile } from './state-files.js';

const cachedTokenSchema = z.object({
  token: z.string().min(1),
  issuedAt: z.number(),
  expiresAt: z.number(),
});
export type CachedToken = z.infer<typeof cachedTokenSchema>;

/** Requests a new token from InPlanning; returns it with its lifetime in seconds. */
export type TokenFetcher = () => Promise<{ token: string; expiresIn: number }>;

export interface TokenSourceOptions {
  stateDir: string;
  /** Identifies the client: tokens are shared only between identical base URL and client id. */
  baseUrl: string;
  clientId: string;
  fetchToken: TokenFetcher;
  now?: () => number;
  /** How long to wait for another process that is fetching a token (default 20 s). */
  lockWaitMs?: number;
}

export class TokenSource {
  private current: CachedToken | undefined;
  private readonly cacheFile: string;
  private readonly lockFile: string;
  private readonly now: () => number;
  /** The refresh in flight in this process, and the token it must not hand back. */
  private pending: { rejected: string | undefined; promise: Promise<string> } | undefined;

  constructor(private readonly options: TokenSourceOptions) {
    const key = fileKey(options.baseUrl, options.clientId);
    this.cacheFile = path.join(options.stateDir, 'tokens', `${key}.json`);
    this.lockFile = path.join(options.stateDir, 'tokens', `${key}.lock`);
    this.now = options.now ?? Date.now;
  }

  /** A token that is valid for a while yet: from memory, the cache file, or InPlanning. */
  async get(): Promise<string> {
    if (this.current && this.isFresh(this.current)) return this.current.token;
    return this.share(undefined);
  }

  /**
   * A token other than the refused one, from memory or the cache file (another process may
   * have refreshed), without refreshing; undefined when there is none.
   */
  async newer(rejected: string): Promise<string | undefined> {
    const remembered = this.rememberedOtherThan(rejected);
    if (remembered) return remembered;
    const cached = await this.readUsable(rejected);
    return cached ? this.adopt(cached) : undefined;
  }

  /** Called when InPlanning refused `rejected`: find a newer token, or refresh once. */
  async replace(rejected: string): Promise<string> {
    return this.rememberedOtherThan(rejected) ?? this.share(rejected);
  }

  /** The token this process holds, when it is fresh and not the refused one. */
  private rememberedOtherThan(rejected: string): string | undefined {
    const current = this.current;
    return current && current.token !== rejected && this.isFresh(current)
      ? current.token
      : undefined;
  }

  /**
   * One refresh at a time within the process; callers wait for its result. A caller whose token
   * was refused joins only a refresh that also excludes that token: a refresh started for
   * expiry may still hand back exactly the token InPlanning just refused.
   */
  private share(rejected: string | undefined): Promise<string> {
    const pending = this.pending;
    if (pending && (rejected === undefined || pending.rejected === rejected)) {
      return pending.promise;
    }
    const promise: Promise<string> = this.obtain(rejected).finally(() => {
      if (this.pending?.promise === promise) this.pending = undefined;
    });
    this.pending = { rejected, promise };
    return promise;
  }

  private async obtain(rejected: string | undefined): Promise<string> {
    const cached = await this.readUsable(rejected);
    if (cached) return this.adopt(cached);
    return withFileLock(this.lockFile, () => this.refreshLocked(rejected), {
      waitMs: this.options.lockWaitMs ?? 20_000,
      busy: (cause) =>
        new TransientError(
          'Another process has been fetching the InPlanning token for too long.',
          undefined,
          { cause, suggestion: 'InPlanning may be slow; the engine will retry the action later.' },
        ),
    });
  }

  /** Inside the lock: take what another process cached meanwhile, else fetch and cache. */
  private async refreshLocked(rejected: string | undefined): Promise<string> {
    // Another process may have refreshed while this one waited for the lock.
    const again = await this.readUsable(rejected);
    if (again) return this.adopt(again);
    // Counted from the request, not the answer: InPlanning's clock for the token starts
    // before ours would, and a late start would use a token past its end.
    const issuedAt = this.now();
    const fresh = await this.options.fetchToken();
    const entry = { token: fresh.token, issuedAt, expiresAt: issuedAt + fresh.expiresIn * 1000 };
    await writeJsonFile(this.cacheFile, entry);
    log().debug({ expiresIn: fresh.expiresIn }, 'obtained a new InPlanning token');
    return this.adopt(entry);
  }

  private async readUsable(rejected: string | undefined): Promise<CachedToken | undefined> {
    const parsed = cachedTokenSchema.safeParse(await readJsonFile(this.cacheFile));
    if (!parsed.success) return undefined;
    const entry = parsed.data;
    if (entry.token === rejected || !this.isFresh(entry)) return undefined;
    return entry;
  }

  private adopt(entry: CachedToken): string {
    registerSecret(entry.token);
    this.current = entry;
    return entry.token;
  }

  /** Fresh until a margin before expiry: a tenth of its life, at most a minute. */
  private isFresh(entry: CachedToken): boolean {
    const life = entry.expiresAt - entry.issuedAt;
    const margin = Math.min(60_000, life / 10);
    return entry.expiresAt - margin > this.now();
  }
}
