import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { isConditionalCheckFailed } from "./error-shapes.js";
import type { Item, Key } from "./paginate.js";

/** The attribute a conditional write stores its token in, by default. */
export const WRITE_TOKEN_ATTRIBUTE = "writeToken";

/** The token a write carries so a retried conditional write can recognise itself. */
export interface WriteToken {
  /** Unique to this write (`randomUUID()`); the write must store it in `attribute`. */
  token: string;
  attribute?: string;
}

/**
 * A conditional write whose response may be lost after DynamoDB committed it: the SDK retries,
 * the retry fails the condition (the write itself changed what it checks), and the caller would
 * report a conflict for a write that happened. On a failed condition this reads the item back
 * consistently: if it carries this write's token, the write is ours and the result is the stored
 * item; otherwise the ConditionalCheckFailedException is rethrown for the caller to map.
 */
async function resolveAmbiguous<T>(
  doc: DynamoDBDocumentClient,
  target: { TableName: string | undefined; Key: Key },
  { token, attribute = WRITE_TOKEN_ATTRIBUTE }: WriteToken,
  write: () => Promise<T>,
): Promise<T | { stored: Item }> {
  try {
    return await write();
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const { Item: stored } = await doc.send(
      new GetCommand({ TableName: target.TableName, Key: target.Key, ConsistentRead: true }),
    );
    if (stored && stored[attribute] === token) return { stored };
    throw error;
  }
}

/**
 * A conditional PutItem that reports success when its own write is the one stored. `input.Item`
 * must carry the token in `attribute`; `key` is the item's primary key.
 */
export async function putOnce(
  doc: DynamoDBDocumentClient,
  input: PutCommandInput,
  key: Key,
  token: WriteToken,
): Promise<void> {
  if (input.Item?.[token.attribute ?? WRITE_TOKEN_ATTRIBUTE] !== token.token) {
    throw new TypeError("putOnce: the item does not carry its write token");
  }
  await resolveAmbiguous(doc, { TableName: input.TableName, Key: key }, token, () =>
    doc.send(new PutCommand(input)),
  );
}

/**
 * A conditional UpdateItem that reports success when its own write is the one stored: the update
 * must `SET <attribute> = <token>`. Returns the item as stored after the write (ALL_NEW).
 */
export async function updateOnce(
  doc: DynamoDBDocumentClient,
  input: UpdateCommandInput,
  token: WriteToken,
): Promise<Item> {
  const result = await resolveAmbiguous(
    doc,
    { TableName: input.TableName, Key: input.Key ?? {} },
    token,
    () => doc.send(new UpdateCommand({ ...input, ReturnValues: "ALL_NEW" })),
  );
  return "stored" in result ? result.stored : ((result as UpdateCommandOutput).Attributes ?? {});
}
