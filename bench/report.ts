import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt, machine } from "./harness.js";

export interface Row {
  figure: string;
  value: number;
  spread?: [number, number];
  goal?: string;
  context?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

export async function writeReport(sections: Record<string, Row[]>): Promise<string> {
  const m = machine();
  const lines = [
    "# tokenmint benchmark results",
    "",
    `Written by \`pnpm bench\` on ${new Date().toISOString()}. Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}.`,
    "Ratios are medians of per-round ratios measured in alternating rounds in one process; spread is min-max.",
    "",
  ];
  for (const [section, rows] of Object.entries(sections)) {
    lines.push(`## ${section}`, "", "| figure | value | spread | goal | context |", "|---|---|---|---|---|");
    for (const r of rows) {
      const value = Number.isInteger(r.value) ? String(r.value) : r.value < 100 ? r.value.toFixed(2) : fmt(r.value);
      const spread = r.spread ? `${r.spread[0].toFixed(2)}-${r.spread[1].toFixed(2)}` : "";
      lines.push(`| ${r.figure} | ${value} | ${spread} | ${r.goal ?? ""} | ${r.context ?? ""} |`);
    }
    lines.push("");
  }
  const md = lines.join("\n");
  await mkdir(here, { recursive: true });
  await writeFile(join(here, "RESULTS.md"), md);
  await writeFile(join(here, "RESULTS.json"), `${JSON.stringify({ date: new Date().toISOString(), machine: m, sections }, null, 2)}\n`);
  return md;
}
