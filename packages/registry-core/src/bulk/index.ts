export { EXPORT_CONTENT_TYPES, ExportFormat, exportEntities } from "./export.js";
export { type ByteSource, ImportFormat, readRows, type SourceRow } from "./row-sources.js";
