import {
  createProfileEventLambdaHandler,
  createProfileEventSqsLambdaHandler,
  type EventBridgeEnvelope,
  type ProfileDelivery,
  type ProfileEventConsumerOptions,
  type SqsLambdaEvent,
} from "@portside/adapters-aws/profile-deps";
import { InvalidConfigError } from "../errors.js";
import { oncePerInstance } from "../runtime/once-per-instance.js";
import { parseDomainConfig } from "../runtime/service-config.js";
import { createProfileDepsAwsComponents } from "./compose.js";
import { profileDepsConfigSchema } from "./config.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A profile-deps event function's handler: an SQS batch (a queue an EventBridge rule fills, as
 * `portside setup` creates it) answers Lambda's partial batch response, retrying only the
 * messages whose handling threw; an EventBridge envelope (the rule targeting the function
 * directly) answers what became of it, and throws for EventBridge to retry.
 */
export interface ProfileEventLambda {
  (event: SqsLambdaEvent): Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  (event: EventBridgeEnvelope): Promise<ProfileDelivery>;
}

function profileEventLambda(
  env: Env,
  handlers: (aws: Awaited<ReturnType<typeof createProfileDepsAwsComponents>>) => ProfileEventConsumerOptions,
): ProfileEventLambda {
  const built = oncePerInstance(async () => {
    const config = parseDomainConfig({ configSchema: profileDepsConfigSchema }, env);
    const prefix = config.DYNAMODB_TABLES_USERID;
    if (prefix === undefined) {
      throw new InvalidConfigError([
        {
          key: "DYNAMODB_TABLES_USERID",
          message: "the profile-deps event functions need the tables' prefix",
        },
      ]);
    }
    // One repository (and its family cache) per warm instance.
    const options = handlers(
      await createProfileDepsAwsComponents({ ...config, DYNAMODB_TABLES_USERID: prefix }),
    );
    return {
      sqs: createProfileEventSqsLambdaHandler(options),
      eventBridge: createProfileEventLambdaHandler(options),
    };
  });
  return (async (event: SqsLambdaEvent | EventBridgeEnvelope) => {
    const handle = await built();
    return "Records" in event ? handle.sqs(event) : handle.eventBridge(event);
  }) as ProfileEventLambda;
}

/**
 * The validator's function (`ProfileChanged`): resolves each changed profile and publishes
 * `ProfileValidated`. Composed from the environment on the first event and kept for the
 * instance; needs `DYNAMODB_TABLES_USERID`.
 */
export function profileDepsValidatorLambda(env: Env = process.env): ProfileEventLambda {
  return profileEventLambda(env, ({ validator }) => ({ validator }));
}

/**
 * The results function (`ProfileValidated`): applies each result to the revision it was
 * computed for; stale results change nothing. Composed as `profileDepsValidatorLambda` is.
 */
export function profileDepsResultsLambda(env: Env = process.env): ProfileEventLambda {
  return profileEventLambda(env, ({ service }) => ({ service }));
}
