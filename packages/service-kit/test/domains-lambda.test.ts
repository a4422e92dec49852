import { djRoomConfigSchema, djRoomDomain, djRoomPlaybackLambda } from "@portside/service-kit/dj-room";
import { eventRecorderConfigSchema, eventRecorderSecrets } from "@portside/service-kit/event-recorder";
import {
  profileDepsConfigSchema,
  profileDepsDomain,
  profileDepsResultsLambda,
  profileDepsSecrets,
  profileDepsValidatorLambda,
} from "@portside/service-kit/profile-deps";
import { registryConfigSchema, registryDomain } from "@portside/service-kit/registry";
import { describe, expect, it } from "vitest";
import { uniqueName } from "#test-support";
import { awsClientConfig, commonConfigSchema } from "../src/config/common-config.js";
import { InvalidConfigError } from "../src/errors.js";
import { parseDomainConfig } from "../src/runtime/service-config.js";

const ON_LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: "portside-test", LOG_LEVEL: "silent" };

/** The InvalidConfigError `action` rejects with, for its keys to be read. */
async function configError(action: Promise<unknown>): Promise<InvalidConfigError> {
  const error = await action.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidConfigError);
  return error as InvalidConfigError;
}
const keysOf = (error: InvalidConfigError) => error.issues.map((issue) => issue.key);

describe("AWS_LAMBDA_FUNCTION_NAME", () => {
  it("is a shared key, read by every domain, no longer the recorder's own", () => {
    expect(commonConfigSchema.shape).toHaveProperty("AWS_LAMBDA_FUNCTION_NAME");
    expect(eventRecorderConfigSchema.shape).not.toHaveProperty("AWS_LAMBDA_FUNCTION_NAME");
    const config = parseDomainConfig(registryDomain, ON_LAMBDA);
    expect(config.AWS_LAMBDA_FUNCTION_NAME).toBe("portside-test");
  });
});

describe("on AWS Lambda no domain runs on embedded defaults", () => {
  it("the registry refuses without DYNAMODB_TABLES_USERID, naming it", async () => {
    const error = await configError(
      registryDomain.compose(parseDomainConfig({ configSchema: registryConfigSchema }, ON_LAMBDA)),
    );
    expect(keysOf(error)).toEqual(["DYNAMODB_TABLES_USERID"]);
    expect(error.message).toMatch(/DYNAMODB_TABLES_USERID: .*AWS Lambda/);
  });

  it("profile-deps refuses without DYNAMODB_TABLES_USERID, naming it", async () => {
    const error = await configError(
      profileDepsDomain.compose(parseDomainConfig({ configSchema: profileDepsConfigSchema }, ON_LAMBDA)),
    );
    expect(keysOf(error)).toEqual(["DYNAMODB_TABLES_USERID"]);
  });

  it("dj-room refuses without DYNAMODB_TABLES_USERID, naming it", async () => {
    const config = parseDomainConfig(
      { configSchema: djRoomConfigSchema },
      { ...ON_LAMBDA, DJ_ROOM_SESSION_SECRET: "a-session-secret-of-at-least-32-characters" },
    );
    expect(keysOf(await configError(djRoomDomain.compose(config)))).toEqual(["DYNAMODB_TABLES_USERID"]);
  });

  it("off Lambda, nothing configured is still the local demo", async () => {
    const composed = await registryDomain.compose(
      parseDomainConfig({ configSchema: registryConfigSchema }, { LOG_LEVEL: "silent" }),
    );
    expect(composed.adapters.store).toMatch(/memory/);
  });
});

describe("dj-room's session secret", () => {
  it("is required with shared tables, or on Lambda: a random one per process splits the rooms' guests", async () => {
    const withTables = parseDomainConfig(
      { configSchema: djRoomConfigSchema },
      { LOG_LEVEL: "silent", DYNAMODB_TABLES_USERID: uniqueName("kit-dj-secret") },
    );
    const error = await configError(djRoomDomain.compose(withTables));
    expect(keysOf(error)).toEqual(["DJ_ROOM_SESSION_SECRET"]);
    const onLambda = parseDomainConfig(
      { configSchema: djRoomConfigSchema },
      { ...ON_LAMBDA, DYNAMODB_TABLES_USERID: uniqueName("kit-dj-secret") },
    );
    expect(keysOf(await configError(djRoomDomain.compose(onLambda)))).toEqual(["DJ_ROOM_SESSION_SECRET"]);
  });

  it("the playback function refuses without DYNAMODB_TABLES_USERID (it would check an empty memory store)", async () => {
    const check = djRoomPlaybackLambda({
      LOG_LEVEL: "silent",
      DJ_ROOM_SESSION_SECRET: "a-session-secret-of-at-least-32-characters",
    });
    expect(keysOf(await configError(check()))).toEqual(["DYNAMODB_TABLES_USERID"]);
  });
});

describe("profile-deps event functions", () => {
  it("refuse without DYNAMODB_TABLES_USERID, on their first event", async () => {
    for (const lambda of [profileDepsValidatorLambda, profileDepsResultsLambda]) {
      const handler = lambda({ LOG_LEVEL: "silent" });
      expect(keysOf(await configError(handler({ Records: [] })))).toEqual(["DYNAMODB_TABLES_USERID"]);
    }
  });
});

describe("shared pieces", () => {
  it("awsClientConfig: the region, and the shared endpoint unless a service's own is given", () => {
    const config = commonConfigSchema.parse({
      AWS_REGION: "eu-west-2",
      AWS_ENDPOINT_URL: "http://moto:5000",
    });
    expect(awsClientConfig(config)).toEqual({ region: "eu-west-2", endpoint: "http://moto:5000" });
    expect(awsClientConfig(config, "http://dynamo:8000")).toEqual({
      region: "eu-west-2",
      endpoint: "http://dynamo:8000",
    });
    expect(awsClientConfig(commonConfigSchema.parse({}))).toEqual({});
  });

  it("the recorder and profile-deps both declare AUTH_JWT_SECRET, as one generated secret", () => {
    for (const secrets of [eventRecorderSecrets, profileDepsSecrets]) {
      const spec = secrets.find((s) => s.envName === "AUTH_JWT_SECRET");
      expect(spec).toMatchObject({ name: "auth-jwt-secret", kind: "generated" });
      expect(Buffer.from(spec!.generate!(), "base64url").length).toBeGreaterThanOrEqual(48);
    }
  });

  it("the subpaths export no internals", async () => {
    const djRoom = await import("@portside/service-kit/dj-room");
    for (const name of ["DEMO_COVER_PATH", "demoCoverSvg", "demoTracksWithCovers"]) {
      expect(djRoom).not.toHaveProperty(name);
    }
    expect(await import("@portside/service-kit/profile-deps")).not.toHaveProperty(
      "createProfileDepsAwsComponents",
    );
  });
});
