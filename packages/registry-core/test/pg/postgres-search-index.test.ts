import { createPostgresSearchIndex } from "@portside/registry-core/pg";
import { searchIndexConformance } from "@portside/registry-core/testing";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { createTestDatabase } from "#test-support";

const database = await createTestDatabase();
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
const index = createPostgresSearchIndex({ pool });
await index.createSchema();

searchIndexConformance("postgres", { create: () => index });

it("can answer a text query from its GIN index", async () => {
  const client = await pool.connect();
  try {
    await client.query("SET enable_seqscan = off");
    const { rows } = await client.query(
      "EXPLAIN SELECT id FROM registry_text WHERE document @@ to_tsquery('simple', 'x:*')",
    );
    expect(rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/registry_text_document/);
  } finally {
    client.release();
  }
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});
