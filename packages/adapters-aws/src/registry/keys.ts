import type { Edge, IndexEntry, StoredEntity } from "@portside/registry-core";

/**
 * Key layout. Every key starts with the organisation, so no query can cross tenants:
 *   type        pk O#<org>               sk T#<name>
 *   job         pk O#<org>               sk J#<id>
 *   entity      pk O#<org>#E#<id>        sk #E               gsi1 O#<org>#T#<type>           / <id>
 *   index entry pk O#<org>#E#<id>        sk I#<fieldId>      gsi1 O#<org>#T#<type>#F#<field> / <valueKey>\u0001<id>
 *   edge        pk O#<org>#E#<sourceId>  sk L#<field>#<to>   gsi1 O#<org>#IN#<targetId>      / <srcType>\u0001<srcId>\u0001<field>
 *   unique key  pk O#<org>#U#<type>#<field>#<valueKey>  sk #U
 */
export const EDGE_SEPARATOR = "\u0001";

/** The registry table's key layout: partition and sort keys of each kind of item. */
export const keys = {
  /** Partition key of an organisation's items. */
  org: (org: string) => `O#${org}`,
  /** Sort key of an entity type. */
  type: (name: string) => `T#${name}`,
  /** Sort key of a job record. */
  job: (id: string) => `J#${id}`,
  /** Key of an entity's item. */
  entity: (org: string, id: string) => ({ pk: `O#${org}#E#${id}`, sk: "#E" }),
  /** Partition key of a type's entity list. */
  typeList: (org: string, type: string) => `O#${org}#T#${type}`,
  /** Partition key of one field's index. */
  fieldIndex: (org: string, type: string, fieldId: string) => `O#${org}#T#${type}#F#${fieldId}`,
  /** Key of one indexed value of an entity. */
  indexEntry: (org: string, id: string, fieldId: string) => ({ pk: `O#${org}#E#${id}`, sk: `I#${fieldId}` }),
  /** Key of one link from an entity. */
  edge: (org: string, sourceId: string, edge: Edge) => ({
    pk: `O#${org}#E#${sourceId}`,
    sk: `L#${edge.fieldId}#${edge.targetId}`,
  }),
  /** Partition key of the links to an entity. */
  incoming: (org: string, targetId: string) => `O#${org}#IN#${targetId}`,
  /** Key reserving one unique value. */
  unique: (org: string, type: string, entry: IndexEntry) => ({
    pk: `O#${org}#U#${type}#${entry.fieldId}#${entry.key}`,
    sk: "#U",
  }),
};

/** Every item of an entity besides its unique keys, as DynamoDB stores them (also used to seed tables in bulk). */
export function entityItems(entity: StoredEntity, inbound: number): Record<string, unknown>[] {
  return [
    entityItem(entity, inbound),
    ...entity.index.map((entry) => indexItem(entity, entry)),
    ...entity.links.map((edge) => edgeItem(entity, edge)),
  ];
}

/** The item holding an entity. */
export function entityItem(entity: StoredEntity, inbound: number): Record<string, unknown> {
  return {
    ...keys.entity(entity.organisation, entity.id),
    gsi1pk: keys.typeList(entity.organisation, entity.type),
    gsi1sk: entity.id,
    entityType: entity.type,
    version: entity.version,
    inbound,
    doc: JSON.stringify(entity),
  };
}

/** The item of one indexed field value of an entity. */
export function indexItem(entity: StoredEntity, entry: IndexEntry): Record<string, unknown> {
  return {
    ...keys.indexEntry(entity.organisation, entity.id, entry.fieldId),
    gsi1pk: keys.fieldIndex(entity.organisation, entity.type, entry.fieldId),
    gsi1sk: `${entry.key}\u0001${entity.id}`,
  };
}

/** The item of one link from an entity. */
export function edgeItem(entity: StoredEntity, edge: Edge): Record<string, unknown> {
  return {
    ...keys.edge(entity.organisation, entity.id, edge),
    gsi1pk: keys.incoming(entity.organisation, edge.targetId),
    gsi1sk: [entity.type, entity.id, edge.fieldId].join(EDGE_SEPARATOR),
  };
}

/** The item reserving one unique field value for an entity. */
export function uniqueItem(entity: StoredEntity, entry: IndexEntry): Record<string, unknown> {
  return { ...keys.unique(entity.organisation, entity.type, entry), id: entity.id };
}
