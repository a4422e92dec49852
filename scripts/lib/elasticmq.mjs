import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { installOnce } from "./cache.mjs";
import { run, startService } from "./child.mjs";
import { freePort } from "./free-port.mjs";
import { PrerequisiteError } from "./prerequisite-error.mjs";
import { waitUntil } from "./wait-until.mjs";

export const ELASTICMQ_VERSION = "1.6.11";

// elasticmq-server's POM names its test helpers with a scope Maven cannot resolve from Maven Central;
// the server never loads them at run time.
const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.portside</groupId>
  <artifactId>elasticmq-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.elasticmq</groupId>
      <artifactId>elasticmq-server_2.13</artifactId>
      <version>${ELASTICMQ_VERSION}</version>
      <exclusions>
        <exclusion><groupId>org.elasticmq</groupId><artifactId>elasticmq-common-test_2.13</artifactId></exclusion>
      </exclusions>
    </dependency>
  </dependencies>
</project>
`;

function has(command, args) {
  try {
    run(command, args);
    return true;
  } catch {
    return false;
  }
}

/** ElasticMQ's JARs from Maven Central, fetched once into the cache outside the repo. Returns the classpath. */
export function ensureElasticMq() {
  if (!has("java", ["-version"]) || !has("mvn", ["-v"])) {
    throw new PrerequisiteError(
      "Java 17+ and Maven (needed to run the ElasticMQ SQS engine)",
      "apt-get install openjdk-17-jre-headless maven",
      "AWS_ENDPOINT_URL_SQS",
    );
  }
  const home = installOnce(`elasticmq-${ELASTICMQ_VERSION}`, `ElasticMQ ${ELASTICMQ_VERSION}`, (staging) => {
    writeFileSync(join(staging, "pom.xml"), POM);
    run("mvn", [
      "-q",
      "-B",
      "-f",
      join(staging, "pom.xml"),
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${join(staging, "lib")}`,
    ]);
  });
  const classpath = join(home, "lib", "*");
  return classpath;
}

/** Starts ElasticMQ (SQS) in memory on a free loopback port. */
export async function startElasticMq() {
  const classpath = ensureElasticMq();
  const port = await freePort();
  const settings = {
    "rest-sqs.enabled": "true",
    "rest-sqs.bind-hostname": "127.0.0.1",
    "rest-sqs.bind-port": String(port),
    "rest-sqs.sqs-limits": "strict",
    "rest-stats.enabled": "false",
    "generate-node-address": "false",
    "node-address.protocol": "http",
    "node-address.host": "127.0.0.1",
    "node-address.port": String(port),
    "node-address.context-path": "",
  };
  const args = [
    "-Xmx256m",
    "-XX:+UseSerialGC",
    ...Object.entries(settings).map(([key, value]) => `-D${key}=${value}`),
    "-cp",
    classpath,
    "org.elasticmq.server.Main",
  ];
  const service = startService("ElasticMQ", "java", args);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntil("ElasticMQ", async () => (await fetch(`${endpoint}/?Action=ListQueues`)).ok, {
      alive: service.exited,
      timeoutMs: 60_000,
    });
  } catch (error) {
    await service.stop("SIGKILL");
    throw error;
  }
  return { endpoint, port, service, stop: () => service.stop() };
}
