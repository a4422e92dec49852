import type { ProfileService, ProfileValidator } from "@portside/profile-deps";
import { createProfileDepsAwsComponents, loadConfig } from "@portside-examples/services";

export interface ProfileDepsLambdaComponents {
  service: ProfileService;
  validator: ProfileValidator;
}

let components: Promise<ProfileDepsLambdaComponents> | undefined;

async function build(): Promise<ProfileDepsLambdaComponents> {
  const config = loadConfig();
  const prefix = config.DYNAMODB_TABLES_USERID;
  if (!prefix) throw new Error("DYNAMODB_TABLES_USERID is required by the profile-deps Lambda handlers");
  // One repository (and its family cache) per warm Lambda instance.
  const { service, validator } = await createProfileDepsAwsComponents({
    ...config,
    DYNAMODB_TABLES_USERID: prefix,
  });
  return { service, validator };
}

/** Built once per Lambda instance, on first invocation; a failed build is retried on the next one. */
export function profileDepsComponents(): Promise<ProfileDepsLambdaComponents> {
  components ??= build().catch((error: unknown) => {
    components = undefined;
    throw error;
  });
  return components;
}
