// Region -> realm -> host, as oci-common@2.139.1 resolves it (lib/realm.js, lib/region.js,
// lib/endpoint-builder.js) for the Identity Data Plane template `https://auth.{region}.{secondLevelDomain}`.
import { TokenmintError } from "@tokenmint/core";

/** Second-level domain of each realm (oci-common lib/realm.js). */
export const REALM_DOMAINS: Readonly<Record<string, string>> = Object.freeze({
  oc1: "oraclecloud.com",
  oc2: "oraclegovcloud.com",
  oc3: "oraclegovcloud.com",
  oc4: "oraclegovcloud.uk",
  oc8: "oraclecloud8.com",
  oc9: "oraclecloud9.com",
  oc10: "oraclecloud10.com",
  oc14: "oraclecloud14.com",
  oc15: "oraclecloud15.com",
  oc19: "oraclecloud.eu",
  oc20: "oraclecloud20.com",
  oc21: "oraclecloud21.com",
  oc23: "oraclecloud23.com",
  oc24: "oraclecloud24.com",
  oc26: "oraclecloud26.com",
  oc29: "oraclecloud29.com",
  oc35: "oraclecloud35.com",
  oc42: "oraclecloud42.com",
  oc51: "oraclecloud51.com",
  oc52: "oraclecloud52.com",
});

// "<region id>:<region key>" per realm, from oci-common@2.139.1 lib/region.js (Region.register calls).
const REGIONS_BY_REALM: Readonly<Record<string, string>> = {
  oc1: "ap-chuncheon-1:yny ap-mumbai-1:bom ap-hyderabad-1:hyd ap-seoul-1:icn ap-sydney-1:syd ap-melbourne-1:mel ap-osaka-1:kix ap-tokyo-1:nrt ca-montreal-1:yul ca-toronto-1:yyz eu-frankfurt-1:fra eu-zurich-1:zrh sa-saopaulo-1:gru uk-cardiff-1:cwl uk-london-1:lhr us-ashburn-1:iad us-phoenix-1:phx eu-amsterdam-1:ams me-jeddah-1:jed us-sanjose-1:sjc me-dubai-1:dxb sa-santiago-1:scl sa-vinhedo-1:vcp il-jerusalem-1:mtz eu-marseille-1:mrs ap-singapore-1:sin me-abudhabi-1:auh eu-milan-1:lin eu-stockholm-1:arn af-johannesburg-1:jnb eu-paris-1:cdg mx-queretaro-1:qro eu-madrid-1:mad us-chicago-1:ord mx-monterrey-1:mty us-saltlake-2:aga sa-bogota-1:bog sa-valparaiso-1:vap ap-singapore-2:xsp me-riyadh-1:ruh ap-delhi-1:onm ap-batam-1:hsg eu-madrid-3:orf eu-turin-1:nrq ap-kulai-2:jbp af-casablanca-1:lej",
  oc2: "us-langley-1:lfi us-luke-1:luf",
  oc3: "us-gov-ashburn-1:ric us-gov-chicago-1:pia us-gov-phoenix-1:tus",
  oc4: "uk-gov-london-1:ltn uk-gov-cardiff-1:brs",
  oc8: "ap-chiyoda-1:nja ap-ibaraki-1:ukb",
  oc9: "me-dcc-muscat-1:mct me-ibri-1:ibr",
  oc10: "ap-dcc-canberra-1:wga",
  oc14: "eu-dcc-milan-1:bgy eu-dcc-milan-2:mxp eu-dcc-dublin-2:snn eu-dcc-rating-2:dtm eu-dcc-rating-1:dus eu-dcc-dublin-1:ork",
  oc15: "ap-dcc-gazipur-1:dac",
  oc19: "eu-madrid-2:vll eu-frankfurt-2:str",
  oc20: "eu-jovanovac-1:beg",
  oc21: "me-dcc-doha-1:doh me-alrayyan-1:vve",
  oc23: "us-somerset-1:ebb us-thames-1:ebl",
  oc24: "eu-dcc-zurich-1:avz eu-crissier-1:avf",
  oc26: "me-abudhabi-3:ahu me-alain-1:rba",
  oc29: "me-abudhabi-2:rkt me-abudhabi-4:shj",
  oc35: "ap-seoul-2:dtz ap-suwon-1:dln ap-chuncheon-2:bno",
  oc42: "us-ashburn-2:yxj us-newark-1:pgc",
  oc51: "eu-budapest-1:jsk",
  oc52: "sa-riodejaneiro-1:hnw",
};

interface KnownRegion {
  readonly realm: string;
}

// Built once at load from the constant table above and never changed.
const REALM_OF_REGION = new Map<string, KnownRegion>();
const REGION_OF_KEY = new Map<string, string>();
for (const [realm, list] of Object.entries(REGIONS_BY_REALM)) {
  for (const entry of list.split(" ")) {
    const [id, key] = entry.split(":") as [string, string];
    REALM_OF_REGION.set(id, { realm });
    REGION_OF_KEY.set(key, id);
  }
}

const REGION_ID = /^[a-z]{2,}(?:-[a-z0-9]+)+-\d+$/;
// A dotted region id is a full domain suffix (oci-common EndpointBuilder.createEndpointForDottedRegion).
const DOTTED_REGION = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

/** Where a region's requests go. */
export interface ResolvedRegion {
  /** The region id (`us-ashburn-1`), or the dotted region as given. */
  readonly regionId: string;
  /** The realm, `unknown` for regions this table does not list. */
  readonly realm: string;
  /** `https://auth.<region>.<domain>` (no path). */
  readonly authHost: string;
  /** Whether the region is in the table; unknown ones fall back as oci-common does. */
  readonly known: boolean;
}

/**
 * Resolves a region id (`us-ashburn-1`), region key (`IAD`) or dotted region (`us-ashburn-1.oraclecloud.com`)
 * to the Identity Data Plane host. A well-formed region that the table does not list falls back to the
 * realm domain in `OCI_DEFAULT_REALM`, else oc1's `oraclecloud.com`, as oci-common does for regions newer
 * than the SDK.
 *
 * @example
 * resolveRegion("us-phoenix-1").authHost; // "https://auth.us-phoenix-1.oraclecloud.com"
 * resolveRegion("lhr").regionId;          // "uk-london-1"
 */
export function resolveRegion(region: string, env: Readonly<Record<string, string | undefined>> = {}): ResolvedRegion {
  if (typeof region !== "string" || region.trim().length === 0) throw new TokenmintError("configuration", "region is empty", { provider: "oci" });
  const id = region.trim().toLowerCase();
  const known = REALM_OF_REGION.get(id);
  if (known !== undefined) return { regionId: id, realm: known.realm, authHost: `https://auth.${id}.${REALM_DOMAINS[known.realm]}`, known: true };
  const byKey = REGION_OF_KEY.get(id);
  if (byKey !== undefined) return resolveRegion(byKey);
  if (DOTTED_REGION.test(id)) return { regionId: id, realm: "unknown", authHost: `https://auth.${id}`, known: false };
  if (REGION_ID.test(id)) {
    const fallback = env["OCI_DEFAULT_REALM"]?.trim().toLowerCase();
    const domain = fallback && DOTTED_REGION.test(fallback) ? fallback : REALM_DOMAINS["oc1"]!;
    return { regionId: id, realm: fallback ? "unknown" : "oc1", authHost: `https://auth.${id}.${domain}`, known: false };
  }
  throw new TokenmintError("configuration", `${JSON.stringify(region.slice(0, 64))} is not an OCI region id (like us-ashburn-1) or region key (like IAD)`, { provider: "oci" });
}

/** Region ids in the table, sorted. */
export function knownRegions(): string[] {
  return [...REALM_OF_REGION.keys()].sort();
}
