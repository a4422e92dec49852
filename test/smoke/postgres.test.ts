import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "#test-support";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

it("round-trips a row through PostgreSQL in a database of its own", async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query("CREATE TABLE t (id int PRIMARY KEY, note text)");
    await client.query("INSERT INTO t VALUES ($1, $2)", [1, "hello"]);
    const { rows } = await client.query("SELECT note, current_database() AS name FROM t WHERE id = 1");
    expect(rows).toEqual([{ note: "hello", name: db.name }]);
  } finally {
    await client.end();
  }
});
