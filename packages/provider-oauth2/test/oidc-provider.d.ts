// The part of oidc-provider@9 (a dev dependency, shipped without types) the tests use.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export interface OidcContext {
    readonly oidc: {
      readonly params: Record<string, string | string[] | undefined>;
      readonly client: unknown;
    };
    body: unknown;
  }

  interface TokenModel {
    readonly isExpired: boolean;
    readonly scope?: string | undefined;
    readonly expiration: number;
    resourceServer?: unknown;
    save(): Promise<string>;
  }

  interface TokenClass<T extends TokenModel, P> {
    new (properties: P): T;
    find(value: string): Promise<T | undefined>;
  }

  interface GrantModel {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface ClientModel {
    readonly clientId: string;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    registerGrantType(name: string, handler: (ctx: OidcContext) => Promise<void>, params?: readonly string[]): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    readonly Client: { find(id: string): Promise<ClientModel | undefined> };
    readonly Grant: new (properties: { accountId: string; clientId: string }) => GrantModel;
    readonly RefreshToken: TokenClass<TokenModel, { accountId: string; client: ClientModel; grantId: string; scope: string; gty: string; resource?: string }>;
    readonly AccessToken: TokenClass<TokenModel & { readonly accountId?: string }, Record<string, unknown>>;
    readonly ClientCredentials: TokenClass<TokenModel, { client: unknown; scope?: string | undefined }>;
    readonly ResourceServer: new (identifier: string, info: Record<string, unknown>) => unknown;
  }

  export const errors: {
    InvalidGrant: new (description?: string) => Error;
    InvalidRequest: new (description?: string) => Error;
    InvalidTarget: new (description?: string) => Error;
    InvalidScope: new (description?: string, scope?: string) => Error;
  };

  export default Provider;
}
