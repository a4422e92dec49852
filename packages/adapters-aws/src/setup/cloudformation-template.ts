import {
  deadLetterQueueName,
  eventBridgeQueuePolicy,
  type QueueResource,
  type SetupResource,
  type WebSocketApiResource,
} from "./resources.js";

type Template = {
  AWSTemplateFormatVersion: "2010-09-09";
  Description: string;
  Parameters?: Record<string, unknown>;
  Resources: Record<string, unknown>;
  Outputs: Record<string, unknown>;
};

/** `dev-profile-validation` -> `DevProfileValidation` (CloudFormation logical ids are alphanumeric). */
function logicalId(kind: string, name: string): string {
  const words = `${name}-${kind}`.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

function queueResources(resource: QueueResource): Record<string, unknown> {
  const id = logicalId("queue", resource.name);
  const out: Record<string, unknown> = {};
  const properties: Record<string, unknown> = { QueueName: resource.name };
  if (resource.deadLetter) {
    const dlqId = logicalId("queue", deadLetterQueueName(resource.name));
    out[dlqId] = { Type: "AWS::SQS::Queue", Properties: { QueueName: deadLetterQueueName(resource.name) } };
    properties.RedrivePolicy = {
      deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] },
      maxReceiveCount: resource.deadLetter.maxReceiveCount,
    };
  }
  out[id] = { Type: "AWS::SQS::Queue", Properties: properties };
  if (resource.fromEventBridge) {
    out[`${id}Policy`] = {
      Type: "AWS::SQS::QueuePolicy",
      Properties: {
        Queues: [{ Ref: id }],
        PolicyDocument: eventBridgeQueuePolicy({ "Fn::GetAtt": [id, "Arn"] }),
      },
    };
  }
  return out;
}

/**
 * The API, one integration invoking the function, its routes, a stage deploying every change and
 * the permission for API Gateway to invoke the function (which the stack does not hold).
 */
function webSocketApiResources(resource: WebSocketApiResource): Record<string, unknown> {
  const id = logicalId("api", resource.name);
  const integrationId = `${id}Integration`;
  const routeIds = resource.routeKeys.map((key) => `${id}Route${logicalId("", key.replace("$", ""))}`);
  const functionArn = `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${resource.functionName}`;
  return {
    [id]: {
      Type: "AWS::ApiGatewayV2::Api",
      Properties: {
        Name: resource.name,
        ProtocolType: "WEBSOCKET",
        RouteSelectionExpression: resource.routeSelectionExpression,
      },
    },
    [integrationId]: {
      Type: "AWS::ApiGatewayV2::Integration",
      Properties: {
        ApiId: { Ref: id },
        IntegrationType: "AWS_PROXY",
        IntegrationMethod: "POST",
        IntegrationUri: {
          "Fn::Sub": `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
        },
      },
    },
    ...Object.fromEntries(
      resource.routeKeys.map((RouteKey, i) => [
        routeIds[i],
        {
          Type: "AWS::ApiGatewayV2::Route",
          Properties: {
            ApiId: { Ref: id },
            RouteKey,
            Target: { "Fn::Join": ["/", ["integrations", { Ref: integrationId }]] },
          },
        },
      ]),
    ),
    [`${id}Stage`]: {
      Type: "AWS::ApiGatewayV2::Stage",
      DependsOn: routeIds,
      Properties: { ApiId: { Ref: id }, StageName: resource.stageName, AutoDeploy: true },
    },
    [`${id}Permission`]: {
      Type: "AWS::Lambda::Permission",
      Properties: {
        FunctionName: resource.functionName,
        Action: "lambda:InvokeFunction",
        Principal: "apigateway.amazonaws.com",
        SourceArn: {
          "Fn::Sub": `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${id}}/*`,
        },
      },
    },
  };
}

/**
 * The same resources `planSetup` ensures, as a CloudFormation template: for teams that deploy
 * with stacks. Third-party secrets become NoEcho parameters, so their values are given at deploy.
 */
export function cloudFormationTemplate(resources: readonly SetupResource[], description: string): Template {
  const template: Template = {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: description,
    Resources: {},
    Outputs: {},
  };
  const parameters: Record<string, unknown> = {};
  for (const resource of resources) {
    switch (resource.kind) {
      case "table": {
        const { TableName, KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, BillingMode } =
          resource.definition;
        const id = logicalId("table", TableName);
        template.Resources[id] = {
          Type: "AWS::DynamoDB::Table",
          DeletionPolicy: "Retain",
          UpdateReplacePolicy: "Retain",
          Properties: {
            TableName,
            BillingMode: BillingMode ?? "PAY_PER_REQUEST",
            KeySchema,
            AttributeDefinitions,
            ...(GlobalSecondaryIndexes ? { GlobalSecondaryIndexes } : {}),
            ...(resource.timeToLiveAttribute
              ? { TimeToLiveSpecification: { AttributeName: resource.timeToLiveAttribute, Enabled: true } }
              : {}),
          },
        };
        template.Outputs[id] = { Value: { Ref: id } };
        break;
      }
      case "queue": {
        Object.assign(template.Resources, queueResources(resource));
        const id = logicalId("queue", resource.name);
        template.Outputs[id] = { Value: { Ref: id } };
        break;
      }
      case "rule": {
        const id = logicalId("rule", resource.name);
        template.Resources[id] = {
          Type: "AWS::Events::Rule",
          Properties: {
            Name: resource.name,
            EventBusName: resource.eventBusName,
            EventPattern: resource.eventPattern,
            State: "ENABLED",
            Targets: [
              {
                Id: resource.targetQueue,
                Arn: { "Fn::GetAtt": [logicalId("queue", resource.targetQueue), "Arn"] },
              },
            ],
          },
        };
        break;
      }
      case "secret": {
        const id = logicalId("secret", resource.name);
        const parameter = `${id}Value`;
        if (!resource.generated) {
          parameters[parameter] = { Type: "String", NoEcho: true, Description: resource.description };
        }
        template.Resources[id] = {
          Type: "AWS::SecretsManager::Secret",
          Properties: {
            Name: resource.name,
            Description: resource.description,
            ...(resource.generated
              ? { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } }
              : { SecretString: { Ref: parameter } }),
          },
        };
        template.Outputs[id] = { Value: { Ref: id } };
        break;
      }
      case "websocket-api": {
        Object.assign(template.Resources, webSocketApiResources(resource));
        const id = logicalId("api", resource.name);
        const host = `\${${id}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${resource.stageName}`;
        template.Outputs[`${id}Url`] = { Value: { "Fn::Sub": `wss://${host}` } };
        template.Outputs[`${id}CallbackUrl`] = { Value: { "Fn::Sub": `https://${host}` } };
        break;
      }
    }
  }
  if (Object.keys(parameters).length > 0) template.Parameters = parameters;
  return template;
}
