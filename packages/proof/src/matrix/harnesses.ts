// Every operation of every provider the matrix covers, each on its own emulator.
import type { Logger } from "@tokenmint/core";
import type { CanaryRegistry } from "../canary.js";
import { huaweiIssueHarness, huaweiListHarness, huaweiRevokeHarness } from "./huaweicloud.js";
import { idcsGrantHarnesses, idcsVerifyHarness } from "./idcs.js";
import { intersightGetHarness, intersightListHarness, intersightRevokeHarness } from "./intersight.js";
import { oauth2EndpointHarnesses, oauth2GrantHarnesses } from "./oauth2.js";
import { ociApiKeyHarness, ociSessionHarness } from "./oci.js";
import type { OperationHarness } from "./types.js";

export async function allHarnesses(canaries: CanaryRegistry, logger: Logger): Promise<OperationHarness[]> {
  const groups = await Promise.all([
    Promise.all([ociApiKeyHarness(canaries, logger), ociSessionHarness(canaries, logger)]),
    idcsGrantHarnesses(canaries, logger),
    Promise.all([idcsVerifyHarness(canaries, logger)]),
    Promise.all([huaweiIssueHarness(canaries, logger), huaweiListHarness(canaries, logger), huaweiRevokeHarness(canaries, logger)]),
    Promise.all([intersightListHarness(canaries, logger), intersightGetHarness(canaries, logger), intersightRevokeHarness(canaries, logger)]),
    oauth2GrantHarnesses(canaries, logger),
    oauth2EndpointHarnesses(canaries, logger),
  ]);
  return groups.flat();
}
