import { randomBytes } from "node:crypto";

export interface AwsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** Services with an engine of their own in tests; any other service runs on moto. */
const SERVICE_ENDPOINT_VARIABLES = {
  dynamodb: "AWS_ENDPOINT_URL_DYNAMODB",
  sqs: "AWS_ENDPOINT_URL_SQS",
} as const;

export type AwsService = "dynamodb" | "sqs" | "eventbridge" | "kms" | "s3" | "secretsmanager";

/** The endpoint the test command gives `service`: its own variable (dynoxide, the SQS engine), else `AWS_ENDPOINT_URL` (moto). */
export function awsEndpoint(service?: AwsService): string {
  const variable =
    service === "dynamodb" || service === "sqs" ? SERVICE_ENDPOINT_VARIABLES[service] : undefined;
  const endpoint = (variable && process.env[variable]) || process.env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    throw new Error(
      `${variable ?? "AWS_ENDPOINT_URL"} is not set: run the tests with \`npm test\`, which starts the AWS engines`,
    );
  }
  return endpoint;
}

/** Client config for the engine the test command started for `service` (DynamoDB: dynoxide; SQS: its engine; others: moto). */
export function awsClientConfig(service?: AwsService): AwsClientConfig {
  return {
    endpoint: awsEndpoint(service),
    region: process.env.AWS_REGION ?? "us-east-1",
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "test",
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "test",
    },
  };
}

/** A name no other test file uses, for tables, queues and buses in the shared emulator. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}
