import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createTables, tableNames } from "@portside/adapters-aws/dynamodb";
import { createEventBridgePublisher } from "@portside/adapters-aws/eventbridge";
import {
  createDynamoPackageRepository,
  createDynamoProfileStore,
  createProfileEventSqsHandler,
  profileDepsTableDefinitions,
} from "@portside/adapters-aws/profile-deps";
import { createSqsConsumer, type SqsConsumer } from "@portside/adapters-aws/sqs";
import {
  createInProcessProfileDeps,
  createProfileService,
  createProfileValidator,
  createPublishableMemoryRepository,
  createResolverPool,
  loadPublishableMemoryRepository,
  PROFILE_EVENT_SOURCE,
  type PublishablePackageRepository,
  sampleRepositoryDocument,
} from "@portside/profile-deps";
import { createProfileDepsHandler } from "@portside/profile-deps/http";
import { z } from "zod";
import { createServiceAuth } from "../auth/service-authenticate.js";
import { type CommonConfig, dynamoDbEndpoint } from "../common-config.js";
import type { ComposedService } from "../service.js";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

export const profileDepsConfigSchema = z.object({
  /**
   * Embedded mode: a `rez-benchmark-repository/1` JSON loaded at start, or `bundled` for the small
   * sample. Default: the Rez benchmark data beside the repository if present, else the sample.
   * AWS mode: when set, seeds the packages table with it if the table is empty.
   */
  PROFILE_DEPS_REPOSITORY: optionalText,
  /** Queue a rule fills with `ProfileChanged`: set it to run the validator in this process (AWS mode). */
  PROFILE_DEPS_CHANGED_QUEUE_URL: optionalText.pipe(z.url().optional()),
  /** Queue a rule fills with `ProfileValidated`: set it to apply results in this process (AWS mode). */
  PROFILE_DEPS_VALIDATED_QUEUE_URL: optionalText.pipe(z.url().optional()),
  /** Time budget of one resolve, in milliseconds. */
  PROFILE_DEPS_RESOLVE_TIMEOUT_MS: optionalText
    .transform((v) => (v === undefined ? 10_000 : Number(v)))
    .pipe(z.number().int().positive()),
});

export type ProfileDepsConfig = CommonConfig & z.infer<typeof profileDepsConfigSchema>;

/** The Rez benchmark repository the clone carries in `data/rez-benchmark`. */
const BENCHMARK_REPOSITORY = fileURLToPath(
  new URL("../../../../data/rez-benchmark/packages.json", import.meta.url),
);

async function embeddedRepository(
  config: ProfileDepsConfig,
): Promise<{ repository: PublishablePackageRepository; label: string }> {
  const configured = config.PROFILE_DEPS_REPOSITORY;
  const path = configured ?? (existsSync(BENCHMARK_REPOSITORY) ? BENCHMARK_REPOSITORY : "bundled");
  if (path === "bundled") {
    return {
      repository: createPublishableMemoryRepository(sampleRepositoryDocument),
      label: "memory (bundled sample)",
    };
  }
  const repository = await loadPublishableMemoryRepository(path);
  return { repository, label: `memory (${(await repository.listFamilies()).length} families from ${path})` };
}

function awsClientConfig(config: ProfileDepsConfig) {
  return {
    ...(config.AWS_REGION ? { region: config.AWS_REGION } : {}),
    ...(config.AWS_ENDPOINT_URL ? { endpoint: config.AWS_ENDPOINT_URL } : {}),
  };
}

/** The AWS deployment's pieces: DynamoDB store and repository, EventBridge publisher, service and validator. */
export async function createProfileDepsAwsComponents(
  config: ProfileDepsConfig & { DYNAMODB_TABLES_USERID: string },
) {
  const clientConfig = awsClientConfig(config);
  const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: dynamoDbEndpoint(config) });
  const tables = tableNames(config.DYNAMODB_TABLES_USERID);
  // Against a local emulator, create the tables on first use; deployed tables come from infrastructure code.
  if (dynamoDbEndpoint(config))
    await createTables(dynamo, profileDepsTableDefinitions(config.DYNAMODB_TABLES_USERID));
  const store = createDynamoProfileStore({ client: dynamo, tableName: tables.profiles });
  const repository = createDynamoPackageRepository({ client: dynamo, tableName: tables.packages });
  const publisher = createEventBridgePublisher({
    client: new EventBridgeClient(clientConfig),
    eventBusName: config.EVENT_BUS_NAME,
    source: PROFILE_EVENT_SOURCE,
  });
  const service = createProfileService({ store, publisher });
  const validator = createProfileValidator({
    repository,
    publisher,
    resolveOptions: { timeoutMs: config.PROFILE_DEPS_RESOLVE_TIMEOUT_MS },
  });
  return { dynamo, tables, store, repository, publisher, service, validator, clientConfig };
}

export async function createProfileDepsService(config: ProfileDepsConfig): Promise<ComposedService> {
  const resolveOptions = { timeoutMs: config.PROFILE_DEPS_RESOLVE_TIMEOUT_MS };
  const prefix = config.DYNAMODB_TABLES_USERID;
  // Resolves run on worker threads, so a pathological request cannot hold up the server.
  const pool = createResolverPool({ timeoutMs: config.PROFILE_DEPS_RESOLVE_TIMEOUT_MS });
  const resolver = pool.resolve;
  // Profile and package writes need the `writer` role; the local demo's anonymous caller has it.
  const auth = createServiceAuth(config, {
    service: "profile-deps",
    embedded: prefix === undefined,
    demoRoles: ["writer"],
  });
  const authenticate = auth.authenticate;

  if (prefix === undefined) {
    const { repository, label } = await embeddedRepository(config);
    const deps = createInProcessProfileDeps({ repository, resolveOptions, resolver });
    return {
      name: "profile-deps",
      adapters: {
        store: "memory",
        repository: label,
        events: "in-process bus",
        resolver: `${pool.size} workers`,
        auth: auth.label,
      },
      handler: createProfileDepsHandler({
        service: deps.service,
        repository,
        resolveOptions,
        resolver,
        authenticate,
      }),
      async close() {
        await deps.close();
        await pool.close();
      },
    };
  }

  const aws = await createProfileDepsAwsComponents({ ...config, DYNAMODB_TABLES_USERID: prefix });
  // An explicit repository seeds an empty packages table once (e.g. a fresh emulator); later starts keep what is there.
  let seeded = "";
  if (config.PROFILE_DEPS_REPOSITORY && (await aws.repository.isEmpty())) {
    const document =
      config.PROFILE_DEPS_REPOSITORY === "bundled"
        ? sampleRepositoryDocument
        : JSON.parse(await readFile(config.PROFILE_DEPS_REPOSITORY, "utf8"));
    const { packages } = await aws.repository.importDocument(document);
    seeded = ` (seeded ${packages} packages)`;
  }
  const sqs = new SQSClient(aws.clientConfig);
  const consumers: SqsConsumer[] = [];
  if (config.PROFILE_DEPS_CHANGED_QUEUE_URL) {
    consumers.push(
      createSqsConsumer({
        client: sqs,
        queueUrl: config.PROFILE_DEPS_CHANGED_QUEUE_URL,
        handler: createProfileEventSqsHandler({ validator: aws.validator }),
      }),
    );
  }
  if (config.PROFILE_DEPS_VALIDATED_QUEUE_URL) {
    consumers.push(
      createSqsConsumer({
        client: sqs,
        queueUrl: config.PROFILE_DEPS_VALIDATED_QUEUE_URL,
        handler: createProfileEventSqsHandler({ service: aws.service }),
      }),
    );
  }
  return {
    name: "profile-deps",
    adapters: {
      store: `dynamodb:${aws.tables.profiles}`,
      repository: `dynamodb:${aws.tables.packages}${seeded}`,
      events: `eventbridge:${config.EVENT_BUS_NAME}`,
      validator: config.PROFILE_DEPS_CHANGED_QUEUE_URL
        ? `sqs:${config.PROFILE_DEPS_CHANGED_QUEUE_URL}`
        : "external",
      results: config.PROFILE_DEPS_VALIDATED_QUEUE_URL
        ? `sqs:${config.PROFILE_DEPS_VALIDATED_QUEUE_URL}`
        : "external",
      auth: auth.label,
    },
    handler: createProfileDepsHandler({
      service: aws.service,
      repository: aws.repository,
      resolveOptions,
      resolver,
      authenticate,
    }),
    async start() {
      for (const consumer of consumers) consumer.start();
    },
    async close() {
      await Promise.all(consumers.map((c) => c.stop()));
      await pool.close();
    },
  };
}
