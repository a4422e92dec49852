import {
  deadLetterQueueName,
  eventBridgeQueuePolicy,
  type QueueResource,
  type SetupResource,
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
    }
  }
  if (Object.keys(parameters).length > 0) template.Parameters = parameters;
  return template;
}
