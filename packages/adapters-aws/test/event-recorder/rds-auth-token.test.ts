import { createRdsAuthTokenProvider } from "@portside/adapters-aws/event-recorder";
import { describe, expect, it } from "vitest";

describe("RDS IAM auth token provider", () => {
  it("signs a connect token for the host, port and user of the connection string", async () => {
    const provider = createRdsAuthTokenProvider({
      hostname: "db.example.eu-west-2.rds.amazonaws.com",
      port: 5433,
      username: "recorder",
      region: "eu-west-2",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    });
    const token = await provider();
    expect(token).toMatch(
      /^db\.example\.eu-west-2\.rds\.amazonaws\.com:5433\/\?Action=connect&DBUser=recorder&/,
    );
    expect(token).toContain("X-Amz-Signature=");
    expect(token).toContain("X-Amz-Expires=900");
  });

  it("reuses a token until it is ten minutes old, then signs a fresh one before the 15-minute expiry", async () => {
    let clock = 0;
    let signed = 0;
    const provider = createRdsAuthTokenProvider({
      hostname: "h",
      port: 5432,
      username: "u",
      now: () => clock,
      sign: async () => `token-${++signed}`,
    });
    expect(await provider()).toBe("token-1");
    clock = 9 * 60_000;
    expect(await provider()).toBe("token-1");
    clock = 10 * 60_000;
    expect(await provider()).toBe("token-2");
  });

  it("does not cache a failed signing", async () => {
    let fail = true;
    const provider = createRdsAuthTokenProvider({
      hostname: "h",
      port: 5432,
      username: "u",
      sign: async () => {
        if (fail) throw new Error("no credentials");
        return "ok";
      },
    });
    await expect(provider()).rejects.toThrow("no credentials");
    fail = false;
    expect(await provider()).toBe("ok");
  });
});
