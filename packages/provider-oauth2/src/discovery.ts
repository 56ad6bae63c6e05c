// Endpoint discovery: where an issuer's metadata lives (RFC 8414 section 3.1, OpenID Connect Discovery
// 1.0 section 4, RFC 8414 section 5's compatibility form), fetching it, and the checks that make it
// trustworthy (the issuer it names, https endpoints).
import { type CallOptions, type HttpTransport, TokenmintError } from "@tokenmint/core";
import { checkEndpoint } from "./config.js";
import { OPERATIONS, parseServerMetadata, PROVIDER_ID, type ServerMetadata } from "./generated/index.js";

const OAUTH_WELL_KNOWN = OPERATIONS.getAuthorizationServerMetadata.path;
const OIDC_WELL_KNOWN = OPERATIONS.getOpenIdConfiguration.path;

/**
 * The metadata URLs of an issuer, in the order they are tried. For `https://h/p`:
 * `https://h/.well-known/oauth-authorization-server/p` (RFC 8414), `https://h/p/.well-known/openid-configuration`
 * (OpenID Connect), `https://h/.well-known/openid-configuration/p` (RFC 8414 section 5). Without a path the
 * first and the last are the same URL.
 */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  if (url.search !== "" || url.hash !== "") throw new TokenmintError("configuration", "the issuer must not have a query or fragment (RFC 8414 section 2)", { provider: PROVIDER_ID });
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  const urls = [`${url.origin}${OAUTH_WELL_KNOWN}${path}`, `${url.origin}${path}${OIDC_WELL_KNOWN}`, `${url.origin}${OIDC_WELL_KNOWN}${path}`];
  return [...new Set(urls)];
}

/** The endpoints a client uses, from its options and the server's metadata. */
export interface Endpoints {
  readonly issuer: string | undefined;
  readonly token: string;
  readonly revocation: string | undefined;
  readonly introspection: string | undefined;
  readonly jwks: string | undefined;
  /** The metadata they came from; undefined when everything was configured. */
  readonly metadata: ServerMetadata | undefined;
}

async function fetchDocument(transport: HttpTransport, url: string, options: CallOptions): Promise<unknown | undefined> {
  try {
    const response = await transport.send({ method: "GET", url, headers: { accept: "application/json" } }, { ...options, retrySafe: true, operation: "getAuthorizationServerMetadata" });
    return response.json();
  } catch (error) {
    // Not at this location (a server serves one of the well-known documents, not both): try the next.
    if (error instanceof TokenmintError && (error.status === 404 || error.status === 405 || error.status === 400 || error.status === 403)) return undefined;
    throw error;
  }
}

/**
 * Fetches and checks an issuer's metadata. The document must name exactly the issuer it was fetched for
 * (RFC 8414 section 3.3, OpenID Connect Discovery section 4.3): otherwise another server could pass
 * itself off as this one. With `discoveryUrl` and no issuer, the document's own issuer is taken.
 */
export async function discoverMetadata(transport: HttpTransport, issuer: string | undefined, discoveryUrl: string | undefined, options: CallOptions): Promise<ServerMetadata> {
  const urls = discoveryUrl !== undefined ? [discoveryUrl] : metadataUrls(issuer!);
  for (const url of urls) {
    const document = await fetchDocument(transport, url, options);
    if (document === undefined) continue;
    const metadata = parseServerMetadata(document, { provider: PROVIDER_ID, source: `metadata at ${url}` });
    if (issuer !== undefined && metadata.issuer !== issuer) {
      throw new TokenmintError("invalid_response", `the metadata at ${url} names the issuer ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(issuer)}`, {
        provider: PROVIDER_ID,
        hint: "configure the issuer exactly as the server spells it (a trailing slash matters), or check that the URL points at the right server",
      });
    }
    for (const field of ["token_endpoint", "revocation_endpoint", "introspection_endpoint", "jwks_uri"] as const) {
      const value = metadata[field];
      if (value !== undefined) checkEndpoint(value, `the metadata's ${field}`, "invalid_response");
    }
    return metadata;
  }
  throw new TokenmintError("not_found", `no authorization server metadata found for ${issuer} (tried ${urls.join(", ")})`, {
    provider: PROVIDER_ID,
    hint: "check the issuer URL, or configure discoveryUrl, or the tokenEndpoint directly",
  });
}

/** Options first, metadata second; a token endpoint is required from one of them. */
export function endpointsFrom(config: { issuer?: string | undefined; tokenEndpoint?: string | undefined; revocationEndpoint?: string | undefined; introspectionEndpoint?: string | undefined; jwksUri?: string | undefined }, metadata: ServerMetadata | undefined): Endpoints {
  const token = config.tokenEndpoint ?? metadata?.token_endpoint;
  if (token === undefined) throw new TokenmintError("unsupported", "the server's metadata has no token_endpoint", { provider: PROVIDER_ID, hint: "configure tokenEndpoint" });
  return {
    issuer: metadata?.issuer ?? config.issuer,
    token,
    revocation: config.revocationEndpoint ?? metadata?.revocation_endpoint,
    introspection: config.introspectionEndpoint ?? metadata?.introspection_endpoint,
    jwks: config.jwksUri ?? metadata?.jwks_uri,
    metadata,
  };
}
