import type { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { STSClient } from "@aws-sdk/client-sts";

/** The clients setup needs; each is used only for resources of its kind. */
export interface SetupClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly eventbridge: EventBridgeClient;
  readonly secretsmanager: SecretsManagerClient;
  /** Needed only when the resources include a WebSocket API. */
  readonly apigatewayv2?: ApiGatewayV2Client;
  /** Needed only for a WebSocket API: its integration names the function by ARN, with the account. */
  readonly sts?: STSClient;
}
