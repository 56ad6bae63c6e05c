// The pure pieces the unit tests exercise.
export { encodeForm } from "@tokenmint/core";
export { metadataUrls } from "../src/discovery.js";
export { buildGrant } from "../src/grants.js";
export { tokenFromResponse } from "../src/token.js";
