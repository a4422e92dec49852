import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { createTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { createEventBridgePublisher } from "@portside/adapters-aws/eventbridge";
import {
  createDynamoPackageRepository,
  createDynamoProfileStore,
  profileDepsTableDefinitions,
} from "@portside/adapters-aws/profile-deps";
import {
  createProfileService,
  createProfileValidator,
  PROFILE_EVENT_SOURCE,
  type ProfileService,
  type ProfileValidator,
} from "@portside/profile-deps";
import { loadConfig } from "@portside-examples/services";

export interface ProfileDepsLambdaComponents {
  service: ProfileService;
  validator: ProfileValidator;
}

let components: Promise<ProfileDepsLambdaComponents> | undefined;

async function build(): Promise<ProfileDepsLambdaComponents> {
  const config = loadConfig();
  const prefix = config.DYNAMODB_TABLES_USERID;
  if (!prefix) throw new Error("DYNAMODB_TABLES_USERID is required by the profile-deps Lambda handlers");
  const clientConfig = {
    ...(config.AWS_REGION ? { region: config.AWS_REGION } : {}),
    ...(config.AWS_ENDPOINT_URL ? { endpoint: config.AWS_ENDPOINT_URL } : {}),
  };
  const dynamoEndpoint = config.AWS_ENDPOINT_URL_DYNAMODB ?? config.AWS_ENDPOINT_URL;
  const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: dynamoEndpoint });
  if (dynamoEndpoint) await createTables(dynamo, profileDepsTableDefinitions(prefix));
  const tables = tableNames(prefix);
  const publisher = createEventBridgePublisher({
    client: new EventBridgeClient(clientConfig),
    eventBusName: config.EVENT_BUS_NAME,
    source: PROFILE_EVENT_SOURCE,
  });
  const store = createDynamoProfileStore({ client: dynamo, tableName: tables.profiles });
  // One repository (and its family cache) per warm Lambda instance.
  const repository = createDynamoPackageRepository({ client: dynamo, tableName: tables.packages });
  return {
    service: createProfileService({ store, publisher }),
    validator: createProfileValidator({
      repository,
      publisher,
      resolveOptions: { timeoutMs: config.PROFILE_DEPS_RESOLVE_TIMEOUT_MS },
    }),
  };
}

/** Built once per Lambda instance, on first invocation; a failed build is retried on the next one. */
export function profileDepsComponents(): Promise<ProfileDepsLambdaComponents> {
  components ??= build().catch((error: unknown) => {
    components = undefined;
    throw error;
  });
  return components;
}
