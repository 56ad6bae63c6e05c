// Configuration: credentials from options or one environment source, region -> endpoint, validation.
import { describe, expect, it } from "vitest";
import { regionalEndpoint, resolveConfig } from "../src/index.js";

const SK = "s".repeat(40);

function configError(fn: () => unknown): { code: string; message: string; hint?: string | undefined } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; hint?: string };
  }
  throw new Error("expected an error");
}

describe("credentials", () => {
  it("reads HUAWEICLOUD_SDK_AK / _SK / _SECURITY_TOKEN and HUAWEICLOUD_SDK_REGION", () => {
    const c = resolveConfig({}, { HUAWEICLOUD_SDK_AK: "HPUAENVAK00000000000", HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_SECURITY_TOKEN: "tok", HUAWEICLOUD_SDK_REGION: "ap-southeast-1" });
    expect(c.accessKey).toBe("HPUAENVAK00000000000");
    expect(c.secretKey.reveal()).toBe(SK);
    expect(c.securityToken?.reveal()).toBe("tok");
    expect(c.credentialSource).toBe("HUAWEICLOUD_SDK_*");
    expect(c.endpoint).toBe("https://identitystore.ap-southeast-1.myhuaweicloud.com");
  });

  it("falls back to terraform's HW_ACCESS_KEY / HW_SECRET_KEY / HW_SECURITY_TOKEN / HW_REGION_NAME", () => {
    const c = resolveConfig({}, { HW_ACCESS_KEY: "HPUATFAK000000000000", HW_SECRET_KEY: SK, HW_SECURITY_TOKEN: "tok", HW_REGION_NAME: "cn-north-4" });
    expect(c.credentialSource).toBe("HW_*");
    expect(c.securityToken?.reveal()).toBe("tok");
    expect(c.endpoint).toBe(regionalEndpoint("cn-north-4"));
  });

  it("never mixes sources: options win whole, and a half pair is an error", () => {
    const c = resolveConfig({ accessKey: "HPUAOPTAK00000000000", secretKey: SK, region: "cn-north-4" }, { HUAWEICLOUD_SDK_AK: "OTHER", HUAWEICLOUD_SDK_SK: "other", HUAWEICLOUD_SDK_SECURITY_TOKEN: "env-token" });
    expect(c.accessKey).toBe("HPUAOPTAK00000000000");
    expect(c.securityToken).toBeUndefined();
    expect(configError(() => resolveConfig({ accessKey: "HPUAOPTAK00000000000", region: "cn-north-4" }, { HUAWEICLOUD_SDK_SK: SK }))).toMatchObject({ code: "configuration", message: "options give no secretKey" });
    expect(configError(() => resolveConfig({ region: "cn-north-4" }, { HUAWEICLOUD_SDK_AK: "HPUAENVAK00000000000" })).message).toContain("only one of HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK");
    expect(configError(() => resolveConfig({ region: "cn-north-4" }, {}))).toMatchObject({ code: "configuration", message: "no AK/SK credentials" });
  });

  it("refuses values a copy-paste broke", () => {
    expect(configError(() => resolveConfig({ accessKey: "HPUA AK", secretKey: SK, region: "cn-north-4" }, {})).message).toContain("access key");
    expect(configError(() => resolveConfig({ accessKey: "HPUAAK", secretKey: `${SK}\n`, region: "cn-north-4" }, {})).message).toContain("white space");
    expect(configError(() => resolveConfig({ accessKey: "HPUAAK", secretKey: SK, securityToken: "a b", region: "cn-north-4" }, {})).message).toContain("security token");
  });
});

describe("endpoint", () => {
  const creds = { accessKey: "HPUAAK", secretKey: SK };

  it("derives the inferred regional endpoint, or takes an explicit one", () => {
    expect(resolveConfig({ ...creds, region: "cn-north-4" }, {}).endpoint).toBe("https://identitystore.cn-north-4.myhuaweicloud.com");
    expect(resolveConfig({ ...creds, region: "cn-north-4", endpoint: "https://proxy.example.com/hw/" }, {}).endpoint).toBe("https://proxy.example.com/hw");
    expect(resolveConfig({ ...creds }, { TOKENMINT_HUAWEICLOUD_ENDPOINT: "https://x.example.com" }).endpoint).toBe("https://x.example.com");
    expect(resolveConfig({ ...creds, endpoint: "http://127.0.0.1:8080" }, {}).endpoint).toBe("http://127.0.0.1:8080");
  });

  it("refuses a missing region, a bad region, plain http off loopback, and URL extras", () => {
    expect(configError(() => resolveConfig(creds, {})).message).toBe("no region and no endpoint");
    expect(configError(() => resolveConfig({ ...creds, region: "cn north" }, {})).message).toContain("is not a region id");
    expect(configError(() => resolveConfig({ ...creds, endpoint: "http://identitystore.cn-north-4.myhuaweicloud.com" }, {})).message).toContain("not https");
    expect(configError(() => resolveConfig({ ...creds, endpoint: "https://h.example.com/?a=1" }, {})).message).toContain("query");
    expect(configError(() => resolveConfig({ ...creds, endpoint: "not a url" }, {})).message).toContain("not a URL");
  });

  it("validates numbers", () => {
    expect(configError(() => resolveConfig({ ...creds, region: "cn-north-4", attemptTimeoutMs: -1 }, {})).message).toContain("attemptTimeoutMs");
    expect(configError(() => resolveConfig({ ...creds, region: "cn-north-4", maxAttempts: 0 }, {})).message).toContain("maxAttempts");
    expect(configError(() => resolveConfig({ ...creds, region: "cn-north-4", orphanCheck: { intervalMs: 0 } }, {})).message).toContain("orphanCheck.intervalMs");
    const c = resolveConfig({ ...creds, region: "cn-north-4" }, {});
    expect(c.orphanCheck).toEqual({ settleMs: 3000, intervalMs: 1000, timeoutMs: 20000, windowMs: 300000 });
    expect(c.revokeOrphans).toBe(false);
    expect(c.listBeforeCreate).toBe(true);
  });
});
