import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import type { SecretsProvider } from "../ports/secrets-provider.js";

/** `$XDG_CONFIG_HOME/portside/<stage>` (default `~/.config/portside/<stage>`). */
export function localSecretsDir(
  stage: string,
  env: Record<string, string | undefined> = process.env,
): string {
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "portside", stage);
}

const secretName = /^[a-z0-9][a-z0-9-]*$/;

function fileOf(dir: string, name: string): string {
  if (!secretName.test(name)) {
    throw new ServiceKitError(
      ServiceKitErrorCode.invalidArguments,
      `'${name}' is not a secret name (lower-case, digits, '-')`,
    );
  }
  return join(dir, name);
}

/**
 * One file per secret, readable by its owner only (0600, folder 0700). A file others can read
 * is refused rather than used, as ssh refuses a private key.
 */
export function createFileSecrets(options: { dir: string }): SecretsProvider {
  const { dir } = options;
  return {
    description: `files (${dir})`,
    async get(name) {
      const path = fileOf(dir, name);
      let mode: number;
      try {
        mode = (await stat(path)).mode;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      if ((mode & 0o077) !== 0) {
        throw new ServiceKitError(
          ServiceKitErrorCode.unsafeSecretFile,
          `${path} is readable by others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
          { details: { path } },
        );
      }
      return (await readFile(path, "utf8")).replace(/\n$/, "");
    },
    async put(name, value) {
      const path = fileOf(dir, name);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      const staging = `${path}.${process.pid}.tmp`;
      await writeFile(staging, `${value}\n`, { mode: 0o600 });
      await rename(staging, path);
    },
  };
}
