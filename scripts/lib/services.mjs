import { ensureChromium } from "./chromium.mjs";
import { startDynoxide } from "./dynoxide.mjs";
import { startElasticMq } from "./elasticmq.mjs";
import { startMoto } from "./moto.mjs";
import { startPostgres } from "./postgres.mjs";
import { PrerequisiteError } from "./prerequisite-error.mjs";

const AWS_DEFAULTS = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  // Node 20 is supported by the SDK versions we pin; the notice about 2027 releases is noise in test output.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

/**
 * Brings up what tests and benchmarks need, reusing DATABASE_URL, AWS_ENDPOINT_URL(_DYNAMODB,
 * _SQS) and CHROMIUM_PATH when they are set. AWS services get an endpoint each: DynamoDB on
 * dynoxide (`AWS_ENDPOINT_URL_DYNAMODB`), SQS on ElasticMQ (`AWS_ENDPOINT_URL_SQS`), everything
 * else on moto (`AWS_ENDPOINT_URL`). moto stays for SQS queues that EventBridge rules target.
 * Returns the environment to pass on and a stop function that stops only what was started here.
 */
export async function startServices({
  postgres = true,
  durable = false,
  aws = true,
  dynamodb = aws,
  sqs = aws,
  chromium = false,
  log = () => {},
} = {}) {
  const env = {};
  const started = [];
  const stop = async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
    started.length = 0;
  };
  try {
    const tasks = [];
    if (postgres && !process.env.DATABASE_URL) {
      tasks.push(
        startPostgres({ durable }).then((pg) => {
          started.push(pg);
          env.DATABASE_URL = pg.url;
          log(`PostgreSQL on ${pg.url}`);
        }),
      );
    }
    if (aws && !process.env.AWS_ENDPOINT_URL) {
      tasks.push(
        startMoto().then((moto) => {
          started.push(moto);
          env.AWS_ENDPOINT_URL = moto.endpoint;
          log(`moto on ${moto.endpoint}`);
        }),
      );
    }
    if (dynamodb && !process.env.AWS_ENDPOINT_URL_DYNAMODB) {
      tasks.push(
        startDynoxide().then(
          (dynoxide) => {
            started.push(dynoxide);
            env.AWS_ENDPOINT_URL_DYNAMODB = dynoxide.endpoint;
            log(`dynoxide (DynamoDB) on ${dynoxide.endpoint}`);
          },
          (error) => {
            // No dynoxide for this platform, but the caller named an engine for all of AWS: use it.
            if (!(error instanceof PrerequisiteError) || !process.env.AWS_ENDPOINT_URL) throw error;
            log(`no dynoxide here: DynamoDB runs on AWS_ENDPOINT_URL (${process.env.AWS_ENDPOINT_URL})`);
          },
        ),
      );
    }
    if (sqs && !process.env.AWS_ENDPOINT_URL_SQS) {
      tasks.push(
        startElasticMq().then((elasticmq) => {
          started.push(elasticmq);
          env.AWS_ENDPOINT_URL_SQS = elasticmq.endpoint;
          log(`ElasticMQ (SQS) on ${elasticmq.endpoint}`);
        }),
      );
    }
    if (chromium) {
      tasks.push(
        Promise.resolve().then(() => {
          env.CHROMIUM_PATH = ensureChromium();
        }),
      );
    }
    const results = await Promise.allSettled(tasks);
    const failures = results.filter((r) => r.status === "rejected").map((r) => r.reason);
    if (failures.length > 0) {
      throw new AggregateError(failures, failures.map((e) => e.message).join("\n\n"));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  if (aws || dynamodb || sqs) {
    for (const [key, value] of Object.entries(AWS_DEFAULTS)) env[key] = process.env[key] ?? value;
  }
  return { env, stop };
}

/** Runs `main(env)` with services up, stopping them on exit, failure, Ctrl-C or SIGTERM. */
export async function withServices(options, main) {
  const started = Date.now();
  const { env, stop } = await startServices(options);
  options.log?.(`services ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) return;
    stopping = true;
    stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  try {
    return await main(env);
  } finally {
    stopping = true;
    await stop();
  }
}
