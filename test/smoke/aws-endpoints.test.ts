// Each AWS service reaches the engine the test command started for it.
import { afterEach, expect, it, vi } from "vitest";
import { awsClientConfig, awsEndpoint } from "#test-support";

afterEach(() => vi.unstubAllEnvs());

it("gives DynamoDB and SQS their own endpoints and everything else moto's", () => {
  vi.stubEnv("AWS_ENDPOINT_URL", "http://moto");
  vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", "http://dynoxide");
  vi.stubEnv("AWS_ENDPOINT_URL_SQS", "http://elasticmq");
  expect(awsClientConfig("dynamodb").endpoint).toBe("http://dynoxide");
  expect(awsClientConfig("sqs").endpoint).toBe("http://elasticmq");
  expect(awsClientConfig("eventbridge").endpoint).toBe("http://moto");
  expect(awsClientConfig().endpoint).toBe("http://moto");
});

it("falls back to AWS_ENDPOINT_URL for a service without an endpoint of its own", () => {
  vi.stubEnv("AWS_ENDPOINT_URL", "http://moto");
  vi.stubEnv("AWS_ENDPOINT_URL_SQS", "");
  expect(awsEndpoint("sqs")).toBe("http://moto");
});

it("names the variable to set when there is no endpoint at all", () => {
  vi.stubEnv("AWS_ENDPOINT_URL", "");
  vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", "");
  expect(() => awsEndpoint("dynamodb")).toThrow(/AWS_ENDPOINT_URL_DYNAMODB is not set/);
});
