/**
 * `npm run bench:registry`: indexed search latency in memory, DynamoDB requests per result page
 * as the table grows, and bulk CSV import throughput with peak RSS.
 * REGISTRY_BENCH_SIZE (default 100000) sets the entity and row counts; REGISTRY_BENCH_DYNAMO_SIZES
 * (default "10000,100000") the table sizes the DynamoDB part measures at; REGISTRY_BENCH_PARTS
 * (default "import,memory,dynamodb,million,importjobs,text,healthz") which parts run;
 * REGISTRY_BENCH_MILLION (default 1000000) the entities of the large in-memory search.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import pg from "pg";
import { deleteTables } from "../../adapters-aws/src/dynamodb/index.js";
import {
  createDynamoRegistryStore,
  createRegistryTable,
  entityItems,
} from "../../adapters-aws/src/registry/index.js";
import {
  type Actor,
  createMemoryRegistryStore,
  createRegistryService,
  type EntityType,
  readRows,
  type StoredEntity,
} from "../src/index.js";
import { createPostgresSearchIndex } from "../src/pg/index.js";
import { encodeEntity } from "../src/service/entity-codec.js";

const SIZE = Number(process.env.REGISTRY_BENCH_SIZE ?? 100_000);
const DYNAMO_SIZES = (process.env.REGISTRY_BENCH_DYNAMO_SIZES ?? `${Math.min(10_000, SIZE)},${SIZE}`)
  .split(",")
  .map(Number);
const CITIES = 100;
const admin: Actor = { id: "bench", organisation: "bench", groups: [], roles: ["admin"] };
const results: Record<string, unknown> = {
  size: SIZE,
  node: process.version,
  startedAt: new Date().toISOString(),
};

const personType = {
  name: "person",
  fields: [
    { name: "email", type: "email" as const, unique: true },
    { name: "name", type: "string" as const, required: true },
    { name: "city", type: "string" as const, indexed: true },
    { name: "age", type: "integer" as const, indexed: true },
  ],
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const ms = (n: number) => Math.round(n * 1000) / 1000;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
function row(i: number) {
  return { email: `user${i}@example.com`, name: `User ${i}`, city: `city-${i % CITIES}`, age: 18 + (i % 60) };
}

/** A client for the DynamoDB engine the bench runner started (dynoxide). */
function dynoxideClient(): DynamoDBClient {
  if (!process.env.AWS_ENDPOINT_URL_DYNAMODB)
    throw new Error("AWS_ENDPOINT_URL_DYNAMODB is not set: run with npm run bench:registry");
  return new DynamoDBClient({
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: process.env.AWS_REGION ?? "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}

async function bulkImport() {
  const file = join(tmpdir(), `registry-bench-${process.pid}.csv`);
  const out = createWriteStream(file);
  out.write("email,name,city,age\n");
  for (let i = 0; i < SIZE; i++) {
    const r = row(i);
    if (!out.write(`${r.email},${r.name},${r.city},${r.age}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  const bytes = statSync(file).size;

  let parsed = 0;
  const parseStart = performance.now();
  for await (const _ of readRows(createReadStream(file), "csv")) parsed++;
  const parseSeconds = (performance.now() - parseStart) / 1000;

  // A dry run first, in a fresh process: it parses and validates every row but stores nothing, so its
  // peak RSS is what streaming the file costs (the real import's peak adds the store's 100k entities).
  const dryService = createRegistryService({ store: createMemoryRegistryStore() });
  await dryService.createType(admin, personType);
  const dryBefore = process.memoryUsage().rss;
  let dryPeak = dryBefore;
  const drySampler = setInterval(() => {
    dryPeak = Math.max(dryPeak, process.memoryUsage().rss);
  }, 20);
  const dryStart = performance.now();
  const dry = await dryService.importEntities(admin, "person", createReadStream(file), {
    format: "csv",
    upsertOn: "email",
    dryRun: true,
  });
  const drySeconds = (performance.now() - dryStart) / 1000;
  clearInterval(drySampler);
  if (dry.created !== SIZE) throw new Error("dry run failed");

  const store = createMemoryRegistryStore();
  const service = createRegistryService({ store, imports: { maxItemsPerCommit: 500 } });
  await service.createType(admin, personType);
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  const report = await service.importEntities(admin, "person", createReadStream(file), {
    format: "csv",
    upsertOn: "email",
  });
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  rmSync(file);
  if (report.created !== SIZE || report.failed !== 0)
    throw new Error(`import failed: ${JSON.stringify(report).slice(0, 500)}`);
  const result = {
    rows: SIZE,
    fileMB: mb(bytes),
    seconds: ms(seconds),
    rowsPerSecond: Math.round(SIZE / seconds),
    parseOnlyRowsPerSecond: Math.round(parsed / parseSeconds),
    importVsParse: Math.round((seconds / parseSeconds) * 10) / 10,
    dryRunRowsPerSecond: Math.round(SIZE / drySeconds),
    dryRunRssBeforeMB: mb(dryBefore),
    dryRunPeakRssMB: mb(dryPeak),
    rssBeforeMB: mb(rssBefore),
    peakRssMB: mb(peak),
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
  };
  results.bulkImport = result;
  console.log("\nBulk import: CSV into the memory store (all-or-nothing, upsert on email)");
  console.table([result]);
  return { service, store };
}

async function memorySearch(
  service: ReturnType<typeof createRegistryService>,
  store: ReturnType<typeof createMemoryRegistryStore>,
) {
  const queries = 2000;
  const times: number[] = [];
  for (let q = 0; q < queries; q++) {
    const city = `city-${(q * 7919) % CITIES}`;
    const start = performance.now();
    const page = await service.search(admin, "person", { where: { city }, limit: 50 });
    times.push(performance.now() - start);
    if (page.items.length === 0) throw new Error("no results");
  }
  times.sort((a, b) => a - b);
  // Baseline in the same run: the same equality answered by a linear scan of every stored entity.
  const type = (await store.getType("bench", "person"))!;
  const cityId = type.fields.find((f) => f.name === "city")!.id;
  const all = await store.getEntities("bench", await store.listIds("bench", "person", null, SIZE));
  const scans: number[] = [];
  for (let q = 0; q < 50; q++) {
    const city = `city-${(q * 7919) % CITIES}`;
    const start = performance.now();
    const matches = all.filter((e) => e.data[cityId] === city).slice(0, 50);
    scans.push(performance.now() - start);
    if (matches.length === 0) throw new Error("no scan results");
  }
  scans.sort((a, b) => a - b);
  const result = {
    entities: store.entityCount,
    queries,
    p50ms: ms(percentile(times, 0.5)),
    p99ms: ms(percentile(times, 0.99)),
    scanBaselineP50ms: ms(percentile(scans, 0.5)),
    scanOverIndexP50: Math.round(percentile(scans, 0.5) / percentile(times, 0.5)),
  };
  results.memorySearch = result;
  console.log(
    "\nMemory store: indexed equality search (city = X of 100 cities, first page of 50) through the service",
  );
  console.table([result]);
}

async function dynamoPages() {
  const client = dynoxideClient();
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      counts.set(String(context.commandName), (counts.get(String(context.commandName)) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "countRequests" },
  );
  const raw = DynamoDBDocumentClient.from(client);
  const tableName = `registry-bench-${process.pid}`;
  await createRegistryTable(client, tableName);
  const store = createDynamoRegistryStore({ client, tableName });
  const service = createRegistryService({ store });
  await service.createType(admin, personType);
  const type = (await store.getType("bench", "person")) as EntityType;
  const now = new Date().toISOString();
  const rows: Record<string, unknown>[] = [];
  let seeded = 0;
  const measurements = [];
  const seedUpTo = async (n: number) => {
    const start = performance.now();
    const batches: Record<string, unknown>[][] = [];
    for (; seeded < n; seeded++) {
      const entity: StoredEntity = encodeEntity(type, row(seeded), {
        organisation: "bench",
        id: `e${String(seeded).padStart(8, "0")}`,
        version: 1,
        owners: [{ kind: "user", id: "bench" }],
        createdAt: now,
        updatedAt: now,
      });
      rows.push(...entityItems(entity, 0));
      while (rows.length >= 25) batches.push(rows.splice(0, 25));
    }
    if (rows.length > 0) batches.push(rows.splice(0));
    // Seeding writes raw items in parallel BatchWriteItem calls: the table's contents, not the API, are set up here.
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          let items = batch.map((Item) => ({ PutRequest: { Item } }));
          while (items.length > 0) {
            const out = await raw.send(new BatchWriteCommand({ RequestItems: { [tableName]: items } }));
            items = (out.UnprocessedItems?.[tableName] ?? []) as typeof items;
          }
        }
      }),
    );
    return (performance.now() - start) / 1000;
  };
  for (const size of DYNAMO_SIZES) {
    const seedSeconds = await seedUpTo(size);
    for (const [label, filter] of [
      [
        "city = X (indexed equality)",
        (q: number) => ({ where: { city: `city-${(q * 31) % CITIES}` }, limit: 50 }),
      ],
      [
        "age 30..40 (indexed range)",
        () => ({
          conditions: [
            { field: "age", op: "gte", value: 30 },
            { field: "age", op: "lt", value: 40 },
          ],
          limit: 50,
        }),
      ],
      ["whole type, id order", () => ({ limit: 50 })],
    ] as const) {
      counts.clear();
      // Request counts per page are deterministic; dynoxide's latency is not DynamoDB's (and the machine
      // is shared), so a few pages suffice and keep the run short.
      const pages = Number(process.env.REGISTRY_BENCH_PAGES ?? 4);
      let cursor: string | undefined;
      let items = 0;
      const start = performance.now();
      for (let q = 0; q < pages; q++) {
        const page: { items: unknown[]; nextCursor?: string } = await service.search(admin, "person", {
          ...filter(q),
          ...(label.startsWith("city") ? {} : { cursor }),
        });
        if (page.items.length === 0) throw new Error(`empty page for ${label}`);
        items += page.items.length;
        cursor = page.nextCursor;
      }
      const elapsed = performance.now() - start;
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      measurements.push({
        tableEntities: size,
        search: label,
        pages,
        requestsPerPage: total / pages,
        itemsPerPage: Math.round(items / pages),
        byCommand: [...counts.entries()].map(([k, v]) => `${k.replace("Command", "")}×${v}`).join(" "),
        msPerPage: Math.round(elapsed / pages),
        scans: counts.get("ScanCommand") ?? 0,
        seedSeconds: ms(seedSeconds),
      });
    }
  }
  results.dynamoPages = measurements;
  console.log("\nDynamoDB (dynoxide): requests per result page of 50 as the table grows");
  console.table(measurements);
  await deleteTables(client, [tableName]);
}

/** Peak RSS while `work` runs, sampled every 20 ms. */
async function withPeakRss<T>(
  work: () => Promise<T>,
): Promise<{ value: T; peakMB: number; beforeMB: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMB: mb(peak), beforeMB: mb(before) };
  } finally {
    clearInterval(sampler);
  }
}

async function* csvRows(n: number): AsyncGenerator<string> {
  yield "email,name,city,age\n";
  for (let i = 0; i < n; i += 1000) {
    let chunk = "";
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const r = row(j);
      chunk += `${r.email},${r.name},${r.city},${r.age}\n`;
    }
    yield chunk;
  }
}

/** A 1M-entity memory store, seeded through the port in commits of 500, then equality searches through the service. */
async function millionSearch() {
  const n = Number(process.env.REGISTRY_BENCH_MILLION ?? 1_000_000);
  const store = createMemoryRegistryStore();
  const service = createRegistryService({ store });
  await service.createType(admin, personType);
  const type = (await store.getType("bench", "person")) as EntityType;
  const now = new Date().toISOString();
  const seedStart = performance.now();
  for (let i = 0; i < n; i += 500) {
    const writes = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const entity = encodeEntity(type, row(j), {
        organisation: "bench",
        id: `e${String(j).padStart(8, "0")}`,
        version: 1,
        owners: [{ kind: "user", id: "bench" }],
        createdAt: now,
        updatedAt: now,
      });
      writes.push({ op: "create" as const, entity });
    }
    await store.commit(writes);
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const times: number[] = [];
  for (let q = 0; q < 2000; q++) {
    const start = performance.now();
    const page = await service.search(admin, "person", {
      where: { city: `city-${(q * 7919) % CITIES}` },
      limit: 50,
    });
    times.push(performance.now() - start);
    if (page.items.length !== 50) throw new Error("short page");
  }
  times.sort((a, b) => a - b);
  const result = {
    entities: store.entityCount,
    queries: times.length,
    p50ms: ms(percentile(times, 0.5)),
    p99ms: ms(percentile(times, 0.99)),
    seedSeconds: ms(seedSeconds),
    rssMB: mb(process.memoryUsage().rss),
  };
  results.millionSearch = result;
  console.log(`\nMemory store, ${n} entities: equality search (city = X of 100, first page of 50)`);
  console.table([result]);
}

/** 100k-row import jobs (all-or-nothing, upsert on email) on memory and on DynamoDB (dynoxide): rows/s and peak RSS. */
async function importJobs() {
  const rows = Number(process.env.REGISTRY_BENCH_IMPORT_ROWS ?? SIZE);
  const measurements = [];
  const memory = createRegistryService({ store: createMemoryRegistryStore() });
  await memory.createType(admin, personType);
  const client = dynoxideClient();
  const tableName = `registry-bench-import-${process.pid}`;
  await createRegistryTable(client, tableName);
  const dynamo = createRegistryService({ store: createDynamoRegistryStore({ client, tableName }) });
  await dynamo.createType(admin, personType);
  for (const [store, service] of [
    ["memory", memory],
    ["dynamodb (dynoxide)", dynamo],
  ] as const) {
    const start = performance.now();
    let polls = 0;
    const {
      value: report,
      peakMB,
      beforeMB,
    } = await withPeakRss(async () => {
      const job = await service.startImport(admin, "person", csvRows(rows), {
        format: "csv",
        upsertOn: "email",
      });
      // Progress is read while it runs, as a client polling the job would.
      const poller = setInterval(() => {
        polls++;
        void service.getImport(admin, job.id);
      }, 500);
      try {
        return await service.waitForImport(admin, job.id);
      } finally {
        clearInterval(poller);
      }
    });
    const seconds = (performance.now() - start) / 1000;
    if (report.created !== rows || report.status !== "completed")
      throw new Error(`import job failed: ${JSON.stringify(report).slice(0, 400)}`);
    measurements.push({
      store,
      rows,
      seconds: ms(seconds),
      rowsPerSecond: Math.round(rows / seconds),
      rssBeforeMB: beforeMB,
      peakRssMB: peakMB,
      progressReads: polls,
    });
  }
  await deleteTables(client, [tableName]);
  results.importJobs = measurements;
  console.log("\nImport jobs: CSV rows streamed into a job (all-or-nothing, upsert on email)");
  console.table(measurements);
}

/** Text search on PostgreSQL (tsvector under GIN) over 100k entities' text. */
async function textSearch() {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set: run with npm run bench:registry");
  const n = Number(process.env.REGISTRY_BENCH_TEXT_SIZE ?? SIZE);
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const table = `registry_text_bench_${process.pid}`;
  const index = createPostgresSearchIndex({ pool, table });
  await index.createSchema();
  const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
  const loadStart = performance.now();
  for (let i = 0; i < n; i += 1000) {
    const documents = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const text = `User ${j} lives in city-${j % CITIES} ${words[j % 10]} ${words[(j * 7) % 10]} notes ${j % 997}`;
      documents.push({ organisation: "bench", type: "person", id: `e${j}`, text });
    }
    await index.upsert(documents);
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  await pool.query(`ANALYZE ${table}`);
  const times: number[] = [];
  for (let q = 0; q < 500; q++) {
    const text =
      q % 2 === 0
        ? `${words[q % 10]} ${words[(q * 3) % 10]}`
        : `city-${q % CITIES} ${words[q % 10]!.slice(0, 3)}`;
    const start = performance.now();
    await index.search({ organisation: "bench", type: "person", text, limit: 20 });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  await pool.query(`DROP TABLE ${table}`);
  await pool.end();
  const result = {
    documents: n,
    queries: times.length,
    p50ms: ms(percentile(times, 0.5)),
    p99ms: ms(percentile(times, 0.99)),
    loadSeconds: ms(loadSeconds),
  };
  results.textSearch = result;
  console.log("\nText search: PostgreSQL full-text (GIN), first page of 20, two words (the last a prefix)");
  console.table([result]);
}

/** `/healthz` latency while a migration converts every entity of a 100k-entity memory registry. */
async function healthzDuringMigration() {
  const n = Number(process.env.REGISTRY_BENCH_MIGRATION_SIZE ?? SIZE);
  const store = createMemoryRegistryStore();
  const service = createRegistryService({ store });
  await service.createType(admin, personType);
  const type = (await store.getType("bench", "person")) as EntityType;
  const now = new Date().toISOString();
  for (let i = 0; i < n; i += 500) {
    const writes = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      writes.push({
        op: "create" as const,
        entity: encodeEntity(type, row(j), {
          organisation: "bench",
          id: `e${String(j).padStart(8, "0")}`,
          version: 1,
          owners: [{ kind: "user", id: "bench" }],
          createdAt: now,
          updatedAt: now,
        }),
      });
    }
    await store.commit(writes);
  }
  const server = createServer((_req, res) => res.end("ok"));
  server.listen(0);
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  const probe = async (until: () => boolean, max = Number.POSITIVE_INFINITY) => {
    const times: number[] = [];
    while (!until() && times.length < max) {
      const start = performance.now();
      await (await fetch(url)).text();
      times.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 5));
    }
    return times.sort((a, b) => a - b);
  };
  const idle = await probe(() => false, 200);
  const fields = type.fields.map((f) => (f.name === "age" ? { ...f, type: "string" as const } : f));
  const start = performance.now();
  const { job } = await service.changeType(admin, "person", { fields });
  let done = false;
  const finished = service.migrations.wait(admin, job!.id).then((j) => {
    done = true;
    return j;
  });
  const busy = await probe(() => done);
  const final = await finished;
  const seconds = (performance.now() - start) / 1000;
  server.close();
  if (final.status !== "completed" || final.migrated !== n)
    throw new Error(`migration: ${JSON.stringify(final).slice(0, 300)}`);
  const result = {
    entities: n,
    migrationSeconds: ms(seconds),
    entitiesPerSecond: Math.round(n / seconds),
    healthzProbes: busy.length,
    healthzP50ms: ms(percentile(busy, 0.5)),
    healthzP99ms: ms(percentile(busy, 0.99)),
    idleP99ms: ms(percentile(idle, 0.99)),
  };
  results.healthzDuringMigration = result;
  console.log("\n/healthz while a migration converts every entity (memory store, slices of 100)");
  console.table([result]);
}

const parts = (
  process.env.REGISTRY_BENCH_PARTS ?? "import,memory,dynamodb,million,importjobs,text,healthz"
).split(",");
if (parts.includes("import") || parts.includes("memory")) {
  const { service, store } = await bulkImport();
  if (parts.includes("memory")) await memorySearch(service, store);
}
if (parts.includes("dynamodb")) await dynamoPages();
if (parts.includes("healthz")) await healthzDuringMigration();
if (parts.includes("text")) await textSearch();
if (parts.includes("importjobs")) await importJobs();
if (parts.includes("million")) await millionSearch();
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
const resultsFile = new URL("./results/registry.json", import.meta.url);
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log("\nwrote packages/registry-core/bench/results/registry.json");
