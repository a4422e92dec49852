import { InvalidConfigError } from "@portside/service-kit";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("runs on embedded defaults with an empty environment", () => {
    const config = loadConfig({});
    expect(config.DYNAMODB_TABLES_USERID).toBeUndefined();
    expect(config.EVENT_BUS_NAME).toBe("default");
  });

  it("names every bad key in one error", () => {
    const attempt = () =>
      loadConfig({ PORT: "eighty", DYNAMODB_TABLES_USERID: "has spaces", LOG_LEVEL: "loud" });
    expect(attempt).toThrow(InvalidConfigError);
    try {
      attempt();
    } catch (error) {
      const keys = (error as InvalidConfigError).issues.map((i) => i.key).sort();
      expect(keys).toEqual(["DYNAMODB_TABLES_USERID", "LOG_LEVEL", "PORT"]);
      expect((error as Error).message).toContain("PORT");
      expect((error as Error).message).toContain("LOG_LEVEL");
    }
  });

  it("treats blank optional keys as absent", () => {
    expect(
      loadConfig({ DYNAMODB_TABLES_USERID: "", AWS_ENDPOINT_URL: " " }).DYNAMODB_TABLES_USERID,
    ).toBeUndefined();
  });
});
