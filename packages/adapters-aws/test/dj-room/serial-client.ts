import { Agent } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { awsClientConfig } from "#test-support";

/**
 * A client for the moto emulator that sends one request at a time. moto checks a
 * transaction's conditions and applies its writes without a lock shared by its request
 * threads, so under parallel requests it lets two conflicting transactions both pass (and
 * sometimes answers 500), which DynamoDB never does. One connection makes moto apply requests
 * one by one, as DynamoDB's serializable transactions would; the store's operations still
 * interleave freely between their reads and their conditional writes.
 */
export function serialEmulatorClient(): DynamoDBClient {
  return new DynamoDBClient({
    ...awsClientConfig(),
    requestHandler: {
      httpAgent: new Agent({ keepAlive: true, maxSockets: 1 }),
      socketAcquisitionWarningTimeout: 10 * 60_000,
    },
  });
}
