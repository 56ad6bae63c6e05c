// Maps an iam.OAuthToken as Intersight returns it to the canonical TokenRecord.
import { decodeDate, type TokenRecord } from "@tokenmint/core";
import type { IamOAuthToken } from "./generated/index.js";

/**
 * Intersight writes unset date-times as the zero time of its Go/Java models
 * (`0001-01-01T00:00:00Z`); such values are "not set", not a date in year 1.
 */
function intersightDate(value: unknown): Date | undefined {
  const date = decodeDate(value);
  return date === undefined || date.getUTCFullYear() <= 1 ? undefined : date;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/**
 * The canonical record of one iam.OAuthToken: `id` is the Moid, `client` the application name (or
 * its client id), `subject` the Moid of the User relationship, dates decoded from CreateTime,
 * ExpirationTime (how long the token can be refreshed) and LastLoginTime. `extras` keeps every
 * property Intersight returned, unchanged (date-times stay strings there). `parsed`, the same record
 * through the generated parser, saves decoding its dates a second time.
 */
export function toTokenRecord(mo: Readonly<Record<string, unknown>>, parsed?: IamOAuthToken): TokenRecord {
  const user = mo["User"];
  const subject = typeof user === "object" && user !== null ? nonEmpty((user as Record<string, unknown>)["Moid"]) : undefined;
  const record: TokenRecord = {
    provider: "intersight",
    id: mo["Moid"] as string,
    extras: { ...mo },
  };
  const client = nonEmpty(mo["ClientName"]) ?? nonEmpty(mo["ClientId"]);
  if (client !== undefined) record.client = client;
  if (subject !== undefined) record.subject = subject;
  const createdAt = intersightDate(parsed === undefined ? mo["CreateTime"] : parsed.CreateTime);
  if (createdAt !== undefined) record.createdAt = createdAt;
  const expiresAt = intersightDate(parsed === undefined ? mo["ExpirationTime"] : parsed.ExpirationTime);
  if (expiresAt !== undefined) record.expiresAt = expiresAt;
  const lastUsedAt = intersightDate(parsed === undefined ? mo["LastLoginTime"] : parsed.LastLoginTime);
  if (lastUsedAt !== undefined) record.lastUsedAt = lastUsedAt;
  return record;
}
