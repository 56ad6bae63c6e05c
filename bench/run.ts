// pnpm bench: runs every suite and writes bench/RESULTS.md and bench/RESULTS.json.
import { writeReport } from "./report.js";
import { fileStoreSuite } from "./suites/file-store.js";
import { huaweicloudSuite } from "./suites/huaweicloud.js";
import { idcsSuite } from "./suites/idcs.js";
import { installSizeSuite } from "./suites/install-size.js";
import { intersightSuite } from "./suites/intersight.js";
import { loadSuite } from "./suites/load.js";
import { ociSuite } from "./suites/oci.js";
import { redisSuite } from "./suites/redis.js";
import { tokenManagerSuite } from "./suites/token-manager.js";

const sections = {
  "Token manager": await tokenManagerSuite(),
  "File token store across processes": await fileStoreSuite(),
  "Redis token store across processes": await redisSuite(),
  "OCI request signing and key generation": await ociSuite(),
  "IDCS client assertions": await idcsSuite(),
  "Huawei Cloud SDK-HMAC-SHA256 signing": await huaweicloudSuite(),
  "Intersight full pagination": await intersightSuite(),
  "Emulators under load (200 concurrent clients each, 30 s)": await loadSuite(),
  "Installed size vs the official SDKs": await installSizeSuite(),
};
process.stdout.write(`${await writeReport(sections)}\n`);
