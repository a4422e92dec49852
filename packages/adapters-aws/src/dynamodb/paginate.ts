import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from "@aws-sdk/lib-dynamodb";

/** A DynamoDB item as the document client reads it. */
export type Item = Record<string, unknown>;
/** A DynamoDB key (`LastEvaluatedKey` / `ExclusiveStartKey`) as the document client reads it. */
export type Key = Record<string, unknown>;

/** One page of a query or scan, with the key to start the next from. */
export interface Page {
  items: Item[];
  /** Where the next page starts; absent on the last page. */
  lastEvaluatedKey: Key | undefined;
}

/** Options of reading pages: how many items to stop at. */
export interface PageOptions {
  /** Stop once this many items are read: each page asks for no more than are still wanted. */
  limit?: number;
}

type ReadPage = (
  start: Key | undefined,
  limit: number | undefined,
) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Key }>;

async function* follow(
  read: ReadPage,
  first: Key | undefined,
  pageLimit: number | undefined,
  { limit = Number.POSITIVE_INFINITY }: PageOptions,
): AsyncGenerator<Page> {
  let start = first;
  let count = 0;
  do {
    const wanted = Number.isFinite(limit) ? Math.min(pageLimit ?? limit, limit - count) : pageLimit;
    const page = await read(start, wanted);
    start = page.LastEvaluatedKey;
    count += page.Items?.length ?? 0;
    yield { items: page.Items ?? [], lastEvaluatedKey: start };
  } while (start && count < limit);
}

async function collect(pages: AsyncGenerator<Page>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) items.push(...page.items);
  return items;
}

/**
 * Every page of a Query, following `LastEvaluatedKey` (a page ends at `Limit` items or at 1 MB,
 * whichever comes first, so a short page does not mean the end). Stop iterating to stop reading.
 */
export function queryPages(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  options: PageOptions = {},
): AsyncGenerator<Page> {
  return follow(
    (start, Limit) => doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start, Limit })),
    input.ExclusiveStartKey,
    input.Limit,
    options,
  );
}

/** Every item a Query matches across all its pages, or the first `limit` of them. */
export function queryAll(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  options: PageOptions = {},
): Promise<Item[]> {
  return collect(queryPages(doc, input, options));
}

/** Every page of a Scan, following `LastEvaluatedKey`. */
export function scanPages(
  doc: DynamoDBDocumentClient,
  input: ScanCommandInput,
  options: PageOptions = {},
): AsyncGenerator<Page> {
  return follow(
    (start, Limit) => doc.send(new ScanCommand({ ...input, ExclusiveStartKey: start, Limit })),
    input.ExclusiveStartKey,
    input.Limit,
    options,
  );
}

/** Every item a Scan returns across all its pages, or the first `limit` of them. */
export function scanAll(
  doc: DynamoDBDocumentClient,
  input: ScanCommandInput,
  options: PageOptions = {},
): Promise<Item[]> {
  return collect(scanPages(doc, input, options));
}
