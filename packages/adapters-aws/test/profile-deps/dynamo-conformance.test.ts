import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createTables, deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import {
  createDynamoPackageRepository,
  createDynamoProfileStore,
  profileDepsTableDefinitions,
} from "@portside/adapters-aws/profile-deps";
import { type Profile, profileSchema } from "@portside/profile-deps";
import {
  describePackageRepositoryConformance,
  describeProfileStoreConformance,
} from "@portside/profile-deps/testing";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new DynamoDBClient(awsClientConfig("dynamodb"));
const prefix = uniqueName("conformance");
const names = tableNames(prefix);
let tablesReady: Promise<unknown> | undefined;
const ensureTables = () => {
  tablesReady ??= createTables(client, profileDepsTableDefinitions(prefix));
  return tablesReady;
};
const destroy = () => deleteTables(client, [names.profiles, names.packages]);

describeProfileStoreConformance("dynamodb", {
  async create() {
    await ensureTables();
    return createDynamoProfileStore({ client, tableName: names.profiles });
  },
  async backdoor(name): Promise<Profile[]> {
    const doc = DynamoDBDocumentClient.from(client);
    const { Items = [] } = await doc.send(
      new QueryCommand({
        TableName: names.profiles,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :rev)",
        ExpressionAttributeValues: { ":pk": name, ":rev": "REV#" },
        ConsistentRead: true,
      }),
    );
    return Items.map(({ pk: _pk, sk: _sk, ...rest }) => profileSchema.parse(rest));
  },
});

describePackageRepositoryConformance("dynamodb", {
  async create() {
    await ensureTables();
    return createDynamoPackageRepository({ client, tableName: names.packages });
  },
  destroy,
});
