/** What the simulator does to traffic: counting it, limiting it per client, and failing it. */
import { Rejection } from './http.js';
import { createRandom, type Random } from './random.js';

export type FaultKind = '429' | '503' | 'reset' | 'slow';

/** Faults are handed out in this order, one kind after the other. */
const FAULT_ROTATION: readonly FaultKind[] = ['429', '503', 'reset', 'slow'];

/** The numbers `GET /_sim/stats` reports. */
export interface SimulatorStats {
  /** Requests per method and route template, such as `GET /users/{username}`. */
  requests: Record<string, number>;
  tokensIssued: number;
  /** The most API requests in flight at once, over all clients. */
  maxInFlight: number;
  inFlight: number;
  /** Requests refused with 429 because their client had too many in flight. */
  throttled: number;
  faults: Record<FaultKind, number>;
}

/** Counts requests per route, requests in flight, throttling and injected faults. */
export class TrafficCounter {
  private readonly requests = new Map<string, number>();
  private inFlight = 0;
  private maxInFlight = 0;
  throttled = 0;
  readonly faults: Record<FaultKind, number> = { '429': 0, '503': 0, reset: 0, slow: 0 };

  count(key: string): void {
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  enter(): void {
    this.inFlight += 1;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  leave(): void {
    this.inFlight -= 1;
  }

  snapshot(tokensIssued: number): SimulatorStats {
    return {
      requests: Object.fromEntries(this.requests),
      tokensIssued,
      maxInFlight: this.maxInFlight,
      inFlight: this.inFlight,
      throttled: this.throttled,
      faults: { ...this.faults },
    };
  }
}

/** At most `max` requests in flight per client; unlimited when `max` is undefined. */
export class ConcurrencyLimit {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly max: number | undefined) {}

  /** Takes a slot for `client` and returns its release; rejects with 429 when none is free. */
  acquire(client: string): () => void {
    if (this.max === undefined) return () => {};
    const current = this.inFlight.get(client) ?? 0;
    if (current >= this.max) {
      throw new Rejection(
        429,
        { message: `Too many concurrent requests (at most ${this.max}).` },
        { 'retry-after': '1' },
      );
    }
    this.inFlight.set(client, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight.set(client, (this.inFlight.get(client) ?? 1) - 1);
    };
  }
}

/** Decides, deterministically for a seed, which requests fail and how. */
export class FaultPlan {
  private readonly random: Random;
  private drawn = 0;

  constructor(
    private readonly rate: number,
    seed: number,
  ) {
    this.random = createRandom(seed ^ 0x5eed);
  }

  /** The fault for the next request, or undefined when it goes through. */
  draw(): FaultKind | undefined {
    if (this.rate <= 0 || this.random.next() >= this.rate) return undefined;
    const kind = FAULT_ROTATION[this.drawn % FAULT_ROTATION.length]!;
    this.drawn += 1;
    return kind;
  }
}
