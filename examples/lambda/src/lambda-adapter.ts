import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** The fetch-handler-to-Lambda adapter is the service kit's, as a generated service uses it. */
export { fetchHandlerToLambda } from "@portside/service-kit";

/** API Gateway HTTP API (payload 2.0) and Lambda function URL events share this shape. */
export type HttpEventV2 = APIGatewayProxyEventV2;
export type HttpResultV2 = APIGatewayProxyStructuredResultV2;
