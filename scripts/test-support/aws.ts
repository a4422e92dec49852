import { randomBytes } from "node:crypto";

export interface AwsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** Client config for the AWS emulator the test command started (or the one AWS_ENDPOINT_URL names). */
export function awsClientConfig(): AwsClientConfig {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    throw new Error(
      "AWS_ENDPOINT_URL is not set: run the tests with `npm test`, which starts the AWS emulator",
    );
  }
  return {
    endpoint,
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
