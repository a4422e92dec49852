import { readFile } from "node:fs/promises";
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
import { createServiceAuth } from "../auth/service-auth.js";
import { awsClientConfig, dynamoDbEndpoint, tablesPrefix } from "../config/common-config.js";
import { domainRoutes } from "../manifest/domains.js";
import type { ComposedDomain } from "../runtime/domain-module.js";
import type { ProfileDepsConfig } from "./config.js";

async function embeddedRepository(
  config: ProfileDepsConfig,
): Promise<{ repository: PublishablePackageRepository; label: string }> {
  const path = config.PROFILE_DEPS_REPOSITORY ?? "bundled";
  if (path === "bundled") {
    return {
      repository: createPublishableMemoryRepository(sampleRepositoryDocument),
      label: "memory (bundled sample)",
    };
  }
  const repository = await loadPublishableMemoryRepository(path);
  return { repository, label: `memory (${(await repository.listFamilies()).length} families from ${path})` };
}

/** The AWS deployment's pieces: the DynamoDB repository, the service and the validator (EventBridge publishing). */
export async function createProfileDepsAwsComponents(
  config: ProfileDepsConfig & { DYNAMODB_TABLES_USERID: string },
) {
  const clientConfig = awsClientConfig(config);
  const dynamo = new DynamoDBClient(awsClientConfig(config, dynamoDbEndpoint(config)));
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
  return { tables, repository, service, validator, clientConfig };
}

/**
 * profile-deps on its embedded defaults (memory store and repository, in-process bus), or on
 * DynamoDB, EventBridge and SQS when `DYNAMODB_TABLES_USERID` is set; on AWS Lambda that key is required.
 */
export async function composeProfileDeps(config: ProfileDepsConfig): Promise<ComposedDomain> {
  const resolveOptions = { timeoutMs: config.PROFILE_DEPS_RESOLVE_TIMEOUT_MS };
  const prefix = tablesPrefix(config, "profile-deps");
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
      routes: domainRoutes["profile-deps"],
      adapters: {
        store: "memory",
        repository: label,
        events: "in-process bus",
        resolver: `${pool.size} worker thread${pool.size === 1 ? "" : "s"}`,
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
    routes: domainRoutes["profile-deps"],
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
