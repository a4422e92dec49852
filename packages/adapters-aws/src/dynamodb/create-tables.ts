import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";

/** A table to create: DynamoDB's own `CreateTable` input (`BillingMode` defaults to on-demand). */
export type TableDefinition = CreateTableCommandInput & { TableName: string };

/** Options of `createTables`. */
export interface CreateTablesOptions {
  /** How long to wait for each table to become ACTIVE. */
  timeoutMs?: number;
}

/**
 * Creates tables for local use and tests, skipping any that exist, and waits until each is
 * ACTIVE. Any domain can pass its own definitions. Returns the names it created.
 */
export async function createTables(
  client: DynamoDBClient,
  definitions: readonly TableDefinition[],
  options: CreateTablesOptions = {},
): Promise<string[]> {
  const created: string[] = [];
  for (const definition of definitions) {
    try {
      await client.send(new CreateTableCommand({ BillingMode: "PAY_PER_REQUEST", ...definition }));
      created.push(definition.TableName);
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  await Promise.all(definitions.map((d) => waitForActive(client, d.TableName, options.timeoutMs ?? 30_000)));
  return created;
}

/** Deletes tables, ignoring those already gone. */
export async function deleteTables(client: DynamoDBClient, names: readonly string[]): Promise<void> {
  for (const TableName of names) {
    try {
      await client.send(new DeleteTableCommand({ TableName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}

async function waitForActive(client: DynamoDBClient, TableName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === "ACTIVE");
    if (Table?.TableStatus === "ACTIVE" && indexesReady) return;
    if (Date.now() > deadline) throw new Error(`Table ${TableName} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
