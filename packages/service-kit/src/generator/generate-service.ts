import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { z } from "zod";
import { deriveNames } from "../manifest/derived-names.js";
import type { Manifest, ServiceEntry } from "../manifest/schema.js";
import { fillInMarker } from "./domain-templates.js";
import { serviceFiles } from "./service-templates.js";

/** A file `portside new` writes, or skips because it exists (nothing is ever overwritten). */
export interface PlannedFile {
  /** Relative to the manifest's folder. */
  readonly path: string;
  readonly action: "create" | "skip";
  readonly content: string;
}

/** A line a person must fill in: file, line number, text. */
export interface FillIn {
  readonly path: string;
  readonly line: number;
  readonly text: string;
}

/** What `portside new` does for one service. */
export interface NewServicePlan {
  readonly service: string;
  readonly root: string;
  readonly files: readonly PlannedFile[];
  readonly fillIns: readonly FillIn[];
  /** Set when an existing root package.json's workspaces do not include the service's folder. */
  readonly workspaceHint?: string;
}

/** Options of planning a new service: the manifest, the service and the dependency range. */
export interface PlanNewServiceOptions {
  readonly manifest: Manifest;
  readonly manifestPath: string;
  readonly service: ServiceEntry;
  /** Range of the `@portside/*` dependencies (`^` this kit's version). */
  readonly portsideRange: string;
  /** The kit's optional peers by range: what a service's domains and `portside setup` import. */
  readonly peerRanges?: Readonly<Record<string, string>>;
}

/** What `portside setup` imports, so a new workspace can plan its AWS resources. */
const setupPackages =
  /^(@portside\/adapters-aws|@aws-sdk\/client-(dynamodb|sqs|eventbridge|secrets-manager|apigatewayv2|sts))$/;

function setupDependencies(peerRanges: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(peerRanges).filter(([name]) => setupPackages.test(name)));
}

/** A workspace root for a folder that has no package.json yet, so one `npm install` installs every service. */
function rootPackageJson(options: PlanNewServiceOptions): string {
  const pkg = {
    name: `${options.manifest.scope}-services`,
    private: true,
    type: "module",
    workspaces: ["services/*", "services/*/*", "services/*/*/*"],
    devDependencies: {
      "@portside/service-kit": options.portsideRange,
      ...(options.service.usesAws ? setupDependencies(options.peerRanges ?? {}) : {}),
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Whether an npm workspaces pattern (`services/*`) matches a folder. */
function workspaceMatches(pattern: string, directory: string): boolean {
  const source = pattern
    .replace(/^\.\//, "")
    .replace(/\/+$/, "")
    .split("/")
    .map((part) =>
      part === "**" ? ".*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]*"),
    )
    .join("/");
  return new RegExp(`^${source}$`).test(directory);
}

/** The `workspaces` of a root package.json: patterns, or Yarn's `{ packages }`. */
const rootWorkspaces = z.object({
  workspaces: z
    .union([z.array(z.string()), z.object({ packages: z.array(z.string()).optional() })])
    .optional(),
});

function workspaceHint(root: string, directory: string): string | undefined {
  const path = join(root, "package.json");
  if (!existsSync(path)) return undefined;
  const parsed = rootWorkspaces.safeParse(JSON.parse(readFileSync(path, "utf8")));
  const workspaces = parsed.success ? parsed.data.workspaces : undefined;
  const patterns = Array.isArray(workspaces) ? workspaces : (workspaces?.packages ?? []);
  if (patterns.some((p) => workspaceMatches(p, directory))) return undefined;
  return `package.json's workspaces do not include ${directory}: add it, so npm install installs the service`;
}

/** Plans a new service's package in its derived folder: every file, created or skipped, and the lines to fill in. */
export function planNewService(options: PlanNewServiceOptions): NewServicePlan {
  const root = dirname(options.manifestPath);
  const names = deriveNames(options.manifest, options.service, "dev");
  const contents: Record<string, string> = {
    "package.json": rootPackageJson(options),
  };
  const generated = serviceFiles({
    service: options.service,
    names,
    portsideRange: options.portsideRange,
    ...(options.peerRanges ? { peerRanges: options.peerRanges } : {}),
  });
  for (const [path, content] of Object.entries(generated)) contents[`${names.directory}/${path}`] = content;
  const files = Object.entries(contents).map(([path, content]) => ({
    path,
    content,
    action: existsSync(join(root, path)) ? ("skip" as const) : ("create" as const),
  }));
  const fillIns = files
    .filter((f) => f.action === "create")
    .flatMap((f) =>
      f.content
        .split("\n")
        .flatMap((text, index) =>
          text.includes(fillInMarker) ? [{ path: f.path, line: index + 1, text: text.trim() }] : [],
        ),
    );
  const hint = workspaceHint(root, names.directory);
  return { service: options.service.name, root, files, fillIns, ...(hint ? { workspaceHint: hint } : {}) };
}

/** Writes the files the plan creates; existing files are left as they are. */
export function writeNewService(plan: NewServicePlan): void {
  for (const file of plan.files) {
    if (file.action !== "create") continue;
    const path = join(plan.root, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { flag: "wx" });
  }
}

/** The plan as lines: each file's action, then where the lines to fill in are. */
export function describeNewService(plan: NewServicePlan, cwd = process.cwd()): string[] {
  const at = (path: string) => relative(cwd, join(plan.root, path)) || ".";
  return [
    ...plan.files.map((f) => `${f.action === "create" ? "create" : "skip (exists)"}  ${at(f.path)}`),
    ...(plan.fillIns.length > 0
      ? [
          `Fill in (marked '${fillInMarker}'):`,
          ...plan.fillIns.map((f) => `  ${at(f.path)}:${f.line}  ${f.text}`),
        ]
      : []),
    ...(plan.workspaceHint ? [`Note: ${plan.workspaceHint}`] : []),
  ];
}
