/**
 * Tokens as InPlanning hands them out: one live token per client (a new one invalidates the
 * older ones), a fixed lifetime, and credentials in a form body or a Basic header.
 */
import { randomBytes } from 'node:crypto';
import { Rejection } from './http.js';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenGrant {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

function tokenError(error: string, description: string): Rejection {
  return new Rejection(401, { error, error_description: description });
}

/** Issues and checks the tokens of the simulator's one client. */
export class TokenRegistry {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly current = new Map<string, string>();
  issued = 0;

  constructor(
    private readonly credentials: Credentials,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  /** Answers a token request: form fields or a Basic header, and `grant_type` in the body. */
  grant(authorization: string | null, form: URLSearchParams): TokenGrant {
    if (form.get('grant_type') !== 'client_credentials') {
      throw new Rejection(400, {
        error: 'unsupported_grant_type',
        error_description: 'grant_type must be client_credentials.',
      });
    }
    const offered = basicCredentials(authorization) ?? {
      clientId: form.get('client_id') ?? '',
      clientSecret: form.get('client_secret') ?? '',
    };
    if (!this.matches(offered)) {
      throw tokenError('invalid_client', 'The client credentials are not valid.');
    }
    return this.issue(offered.clientId);
  }

  private matches(offered: Credentials): boolean {
    return (
      offered.clientId === this.credentials.clientId &&
      offered.clientSecret === this.credentials.clientSecret
    );
  }

  private issue(clientId: string): TokenGrant {
    const previous = this.current.get(clientId);
    if (previous) this.tokens.delete(previous);
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: this.now() + this.ttlSeconds * 1000 });
    this.current.set(clientId, token);
    this.issued += 1;
    return { access_token: token, token_type: 'bearer', expires_in: this.ttlSeconds };
  }

  /** The client a bearer token belongs to; rejects a missing, replaced or expired token. */
  authenticate(authorization: string | null): string {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw tokenError('invalid_token', 'A bearer token is required.');
    const issued = this.tokens.get(match[1]!);
    if (!issued) throw tokenError('invalid_token', 'The access token is not valid.');
    if (this.now() >= issued.expiresAt) {
      throw tokenError('token_expired', 'The access token has expired.');
    }
    return issued.clientId;
  }
}

function basicCredentials(authorization: string | null): Credentials | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { clientId: decoded, clientSecret: '' };
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}
