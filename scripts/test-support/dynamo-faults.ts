// A fault layer between a store and the DynamoDB engine: SDK middleware that makes the engine
// answer as real DynamoDB sometimes does. Each profile turns on one kind of fault; decisions come
// from a seeded generator, so a seed gives the same stream of decisions.
import {
  type AttributeValue,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { awsClientConfig } from "./aws.js";

export interface FaultOptions {
  /** Seed of the decisions (default 1). */
  seed?: number;
  /** Share of TransactWriteItems cancelled with `TransactionConflict` before reaching the engine. */
  transactionConflictRate?: number;
  /** Share of writes whose response is lost after the engine committed them: a 500, which the SDK retries. */
  lostResponseRate?: number;
  /** Share of requests refused with ThrottlingException or ProvisionedThroughputExceededException (the SDK retries). */
  throttleRate?: number;
  /** Share of a batch's items (writes) or keys (reads) returned unprocessed. */
  unprocessedRate?: number;
  /** Every Query and Scan returns at most this many items per page (with `LastEvaluatedKey`). */
  queryPageSize?: number;
  /** Queries on a global secondary index see the table as it was this many ms ago. */
  indexLagMs?: number;
  /** Only these indexes lag (default: every one). */
  laggingIndexes?: readonly string[];
}

export interface FaultProfile {
  name: string;
  options: FaultOptions;
}

/** One profile per fault real DynamoDB produces; run a store's suite once per profile. */
export const faultProfiles: readonly FaultProfile[] = [
  { name: "transaction conflicts", options: { transactionConflictRate: 0.2 } },
  { name: "lost responses", options: { lostResponseRate: 0.1 } },
  { name: "throttling", options: { throttleRate: 0.1 } },
  { name: "unprocessed batch items", options: { unprocessedRate: 0.5 } },
  { name: "short query pages", options: { queryPageSize: 2 } },
  { name: "lagging index", options: { indexLagMs: 300 } },
];

/** What the layer did, for tests that check a fault was actually exercised. */
export interface FaultCounts {
  conflicts: number;
  lostResponses: number;
  throttles: number;
  unprocessed: number;
  shortPages: number;
  /** Index queries answered while writes were still inside the lag window. */
  laggingIndexQueries: number;
  /** Items such a query returned as they were before, or left out. */
  laggedIndexItems: number;
}

const WRITES = new Set([
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "TransactWriteItemsCommand",
  "BatchWriteItemCommand",
]);

/** mulberry32: a small seeded generator of [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Image = Record<string, AttributeValue>;
// biome-ignore lint/suspicious/noExplicitAny: SDK middleware sees every command's input and output.
type Any = any;

/** Adds the faults of `profile` to `client` (every command it or a document client over it sends). */
export function withDynamoFaults(
  client: DynamoDBClient,
  profile: FaultProfile | FaultOptions,
): { client: DynamoDBClient; counts: FaultCounts } {
  const options = "options" in profile ? profile.options : profile;
  const random = seeded(options.seed ?? 1);
  const chance = (rate = 0) => rate > 0 && random() < rate;
  const counts: FaultCounts = {
    conflicts: 0,
    lostResponses: 0,
    throttles: 0,
    unprocessed: 0,
    shortPages: 0,
    laggingIndexQueries: 0,
    laggedIndexItems: 0,
  };
  // At most one SDK-retried fault per command, so the SDK's retries can finish it (as they do on AWS).
  const faulted = new WeakSet<object>();
  const lag = options.indexLagMs ? indexLag(options.indexLagMs, counts) : undefined;

  // Once per command, outside the SDK's retries: batches, pages and the lagging index.
  client.middlewareStack.add(
    (next, context) => async (args: Any) => {
      const command = String(context.commandName);
      const input = args.input;
      // Inputs here are in DynamoDB's attribute-value form; a document client's outputs are native.
      const native = (context as Any).__aws_sdk_context?.features?.DDB_MAPPER !== undefined;
      if (command === "TransactWriteItemsCommand" && chance(options.transactionConflictRate)) {
        counts.conflicts++;
        // One item conflicts: drawn once, so every cancellation names exactly one TransactionConflict.
        const conflicting = Math.floor(random() * input.TransactItems.length);
        throw new TransactionCanceledException({
          message:
            "Transaction cancelled, please refer cancellation reasons for specific reasons [fault layer]",
          $metadata: {},
          CancellationReasons: input.TransactItems.map((_: unknown, i: number) =>
            i === conflicting
              ? { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" }
              : { Code: "None" },
          ),
        });
      }
      if ((command === "QueryCommand" || command === "ScanCommand") && options.queryPageSize) {
        if (input.Limit === undefined || input.Limit > options.queryPageSize) {
          counts.shortPages++;
          rewriteBody(args, (body) => ({ ...body, Limit: options.queryPageSize }));
        }
      }
      if (
        options.unprocessedRate &&
        (command === "BatchWriteItemCommand" || command === "BatchGetItemCommand")
      ) {
        return withheld(next, args, { rate: options.unprocessedRate, random, counts, native });
      }
      if (lag && WRITES.has(command)) return lag.write(command, args.input, () => next(args));
      const lagging = input.IndexName && (options.laggingIndexes?.includes(input.IndexName) ?? true);
      if (lag && command === "QueryCommand" && lagging) {
        return lag.query(input, await next(args), native);
      }
      return next(args);
    },
    { step: "build", name: "portsideDynamoFaultsPerCommand" },
  );

  // Once per attempt, inside the SDK's retries: throttling and lost responses.
  client.middlewareStack.add(
    (next, context) => async (args: Any) => {
      const command = String(context.commandName);
      if (!faulted.has(context) && chance(options.throttleRate)) {
        faulted.add(context);
        counts.throttles++;
        const Fault = random() < 0.5 ? ThrottlingException : ProvisionedThroughputExceededException;
        throw new Fault({ message: "Rate exceeded [fault layer]", $metadata: { httpStatusCode: 400 } });
      }
      const result = await next(args);
      if (WRITES.has(command) && !faulted.has(context) && chance(options.lostResponseRate)) {
        faulted.add(context);
        counts.lostResponses++;
        throw new InternalServerError({
          message: "Internal server error after the write committed [fault layer]",
          $metadata: { httpStatusCode: 500 },
        });
      }
      return result;
    },
    { step: "deserialize", name: "portsideDynamoFaultsPerAttempt", priority: "high" },
  );
  return { client, counts };
}

/** A DynamoDB client on the test engine with the faults of `profile`. */
export function faultyDynamoClient(profile: FaultProfile | FaultOptions): {
  client: DynamoDBClient;
  counts: FaultCounts;
} {
  return withDynamoFaults(new DynamoDBClient(awsClientConfig("dynamodb")), profile);
}

/**
 * Changes the request as sent: at this step the input is already serialized (DynamoDB's JSON, in
 * attribute-value form), so the body is rewritten, with its length.
 */
function rewriteBody(args: Any, change: (body: Any) => Any): void {
  const body = JSON.stringify(change(JSON.parse(args.request.body)));
  args.request.body = body;
  args.request.headers["content-length"] = String(Buffer.byteLength(body));
}

/** Sends part of a batch and returns the rest as unprocessed, as DynamoDB does under load. */
async function withheld(
  next: (args: Any) => Promise<Any>,
  args: Any,
  {
    rate,
    random,
    counts,
    native,
  }: { rate: number; random: () => number; counts: FaultCounts; native: boolean },
) {
  const kept: Record<string, Any> = {};
  const out = (image: Image) => (native ? unmarshall(image) : image);
  let writes = false;
  rewriteBody(args, (body) => {
    const sent: Record<string, Any> = {};
    for (const [table, request] of Object.entries<Any>(body.RequestItems)) {
      writes = Array.isArray(request);
      const all: Any[] = writes ? request : request.Keys;
      const go: Any[] = [];
      const stay: Any[] = [];
      for (const entry of all) (random() < rate ? stay : go).push(entry);
      // DynamoDB processes at least one item of a request it accepts.
      if (go.length === 0 && stay.length > 0) go.push(stay.shift());
      counts.unprocessed += stay.length;
      sent[table] = writes ? go : { ...request, Keys: go };
      if (stay.length === 0) continue;
      kept[table] = writes
        ? stay.map((w) =>
            w.PutRequest
              ? { PutRequest: { Item: out(w.PutRequest.Item) } }
              : { DeleteRequest: { Key: out(w.DeleteRequest.Key) } },
          )
        : { ...request, Keys: stay.map(out) };
    }
    return { ...body, RequestItems: sent };
  });
  const result = await next(args);
  const output = result.output;
  if (writes) {
    output.UnprocessedItems = mergeUnprocessed(output.UnprocessedItems, kept, true);
  } else {
    output.UnprocessedKeys = mergeUnprocessed(output.UnprocessedKeys, kept, false);
  }
  return result;
}

function mergeUnprocessed(engine: Any, kept: Record<string, Any>, writes: boolean) {
  const merged: Record<string, Any> = { ...(engine ?? {}) };
  for (const [table, request] of Object.entries<Any>(kept)) {
    if (writes) merged[table] = [...(merged[table] ?? []), ...request];
    else merged[table] = { ...request, Keys: [...(merged[table]?.Keys ?? []), ...request.Keys] };
  }
  return merged;
}

interface TableShape {
  keys: string[];
  indexes: Map<string, { hash: string; range?: string; keysOnly: boolean }>;
}

/**
 * A global secondary index that lags: for `lagMs` after a write, index queries see the item as it
 * was before that write (absent if it did not exist, still there under its old keys if moved or
 * deleted). Images before each write are read with a consistent GetItem on a fault-free client.
 */
function indexLag(lagMs: number, counts: FaultCounts) {
  const raw = new DynamoDBClient(awsClientConfig("dynamodb"));
  const shapes = new Map<string, Promise<TableShape>>();
  /** table -> item key id -> writes in the window: when, and the image before. */
  const history = new Map<string, Map<string, { at: number; before: Image | undefined }[]>>();

  const shape = (table: string) => {
    let known = shapes.get(table);
    if (!known) {
      known = raw.send(new DescribeTableCommand({ TableName: table })).then(({ Table }) => ({
        keys: (Table?.KeySchema ?? []).map((k) => k.AttributeName!),
        indexes: new Map(
          (Table?.GlobalSecondaryIndexes ?? []).map((i) => [
            i.IndexName!,
            {
              hash: i.KeySchema!.find((k) => k.KeyType === "HASH")!.AttributeName!,
              range: i.KeySchema!.find((k) => k.KeyType === "RANGE")?.AttributeName,
              keysOnly: i.Projection?.ProjectionType === "KEYS_ONLY",
            },
          ]),
        ),
      }));
      shapes.set(table, known);
    }
    return known;
  };
  const keyOf = (keys: string[], item: Image) => Object.fromEntries(keys.map((k) => [k, item[k]!]));
  const idOf = (keys: string[], item: Image) => JSON.stringify(keys.map((k) => item[k]));

  /** The keys a write command touches, per table. */
  const touched = (command: string, input: Any): [string, Image][] => {
    if (command === "TransactWriteItemsCommand") {
      return input.TransactItems.flatMap((t: Any) => {
        const op = t.Put ?? t.Update ?? t.Delete;
        return op ? [[op.TableName, op.Item ?? op.Key]] : [];
      });
    }
    if (command === "BatchWriteItemCommand") {
      return Object.entries<Any>(input.RequestItems).flatMap(([table, writes]) =>
        writes.map((w: Any) => [table, w.PutRequest?.Item ?? w.DeleteRequest?.Key]),
      );
    }
    return [[input.TableName, input.Item ?? input.Key]];
  };

  return {
    async write(command: string, input: Any, send: () => Promise<Any>) {
      const targets = await Promise.all(
        touched(command, input).map(async ([table, item]) => {
          const { keys } = await shape(table);
          const { Item } = await raw.send(
            new GetItemCommand({ TableName: table, Key: keyOf(keys, item), ConsistentRead: true }),
          );
          return { table, id: idOf(keys, item), before: Item };
        }),
      );
      const result = await send();
      const at = Date.now();
      for (const { table, id, before } of targets) {
        const items = history.get(table) ?? new Map();
        history.set(table, items);
        items.set(id, [...(items.get(id) ?? []), { at, before }]);
      }
      return result;
    },

    async query(input: Any, result: Any, native: boolean) {
      const { keys, indexes } = await shape(input.TableName);
      const index = indexes.get(input.IndexName);
      const writes = history.get(input.TableName);
      if (!index || !writes) return result;
      const now = Date.now();
      const visible = new Map<string, Image | undefined>();
      for (const [id, list] of writes) {
        const recent = list.filter((w) => now - w.at < lagMs);
        if (recent.length === 0) writes.delete(id);
        else visible.set(id, recent[0]!.before);
      }
      if (visible.size === 0) return result;
      counts.laggingIndexQueries++;
      const partition = partitionValue(input, index.hash);
      const prefix = sortPrefix(input, index.range);
      const matches = (image: Image | undefined): image is Image =>
        image !== undefined &&
        (partition === undefined || image[index.hash]?.S === partition) &&
        (prefix === undefined || (index.range !== undefined && !!image[index.range]?.S?.startsWith(prefix)));
      const project = (image: Image): Image =>
        index.keysOnly ? keyOf([...keys, index.hash, ...(index.range ? [index.range] : [])], image) : image;
      const items: Image[] = [];
      const seen = new Set<string>();
      const found: Image[] = (result.output.Items ?? []).map((item: Any) =>
        native ? marshall(item, { removeUndefinedValues: true }) : item,
      );
      for (const item of found) {
        const id = idOf(keys, item);
        seen.add(id);
        if (!visible.has(id)) items.push(item);
        else {
          counts.laggedIndexItems++;
          const before = visible.get(id);
          if (matches(before)) items.push(project(before));
        }
      }
      for (const [id, before] of visible) {
        if (!seen.has(id) && matches(before)) {
          counts.laggedIndexItems++;
          items.push(project(before));
        }
      }
      if (index.range) {
        const range = index.range;
        const order = input.ScanIndexForward === false ? -1 : 1;
        items.sort((a, b) => order * String(a[range]?.S ?? "").localeCompare(String(b[range]?.S ?? "")));
      }
      result.output.Items = native ? items.map((item) => unmarshall(item)) : items;
      result.output.Count = items.length;
      return result;
    },
  };
}

function resolveName(input: Any, token: string): string {
  return token.startsWith("#") ? input.ExpressionAttributeNames?.[token] : token;
}

/** The string the key condition sets the index's partition key to (`#pk = :pk`). */
function partitionValue(input: Any, hash: string): string | undefined {
  for (const [, name, value] of String(input.KeyConditionExpression ?? "").matchAll(
    /(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)/g,
  )) {
    if (resolveName(input, name!) === hash) return input.ExpressionAttributeValues?.[value!]?.S;
  }
  return undefined;
}

/** The prefix of a `begins_with(sortKey, :prefix)` key condition, if there is one. */
function sortPrefix(input: Any, range: string | undefined): string | undefined {
  if (!range) return undefined;
  for (const [, name, value] of String(input.KeyConditionExpression ?? "").matchAll(
    /begins_with\s*\(\s*(#?[A-Za-z0-9_]+)\s*,\s*(:[A-Za-z0-9_]+)\s*\)/g,
  )) {
    if (resolveName(input, name!) === range) return input.ExpressionAttributeValues?.[value!]?.S;
  }
  return undefined;
}
