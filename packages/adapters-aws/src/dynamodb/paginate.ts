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

type ReadPage = (start: Key | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Key }>;

async function* follow(read: ReadPage, first: Key | undefined): AsyncGenerator<Page> {
  let start = first;
  do {
    const page = await read(start);
    start = page.LastEvaluatedKey;
    yield { items: page.Items ?? [], lastEvaluatedKey: start };
  } while (start);
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
export function queryPages(doc: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Page> {
  return follow(
    (start) => doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start })),
    input.ExclusiveStartKey,
  );
}

/** Every item a Query matches, across all its pages. */
export function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  return collect(queryPages(doc, input));
}

/** Every page of a Scan, following `LastEvaluatedKey`. */
export function scanPages(doc: DynamoDBDocumentClient, input: ScanCommandInput): AsyncGenerator<Page> {
  return follow(
    (start) => doc.send(new ScanCommand({ ...input, ExclusiveStartKey: start })),
    input.ExclusiveStartKey,
  );
}

/** Every item a Scan returns, across all its pages. */
export function scanAll(doc: DynamoDBDocumentClient, input: ScanCommandInput): Promise<Item[]> {
  return collect(scanPages(doc, input));
}
