import { nodeOs, nodePath } from "./builtins.js";

/**
 * Expands a leading `~` of a path from options or a config file to the home directory: `~`, `~/...`
 * and `~\...` (as oci-common's expandUserHome does). Other paths are returned as they are.
 */
export function expandHome(path: string, homeDir: string = nodeOs().homedir()): string {
  if (path === "~") return homeDir;
  if (path.startsWith("~/") || path.startsWith("~\\")) return nodePath().join(homeDir, path.slice(2));
  return path;
}
