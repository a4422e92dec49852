export { EXPORT_CONTENT_TYPES, ExportFormat, exportEntities } from "./export.js";
export {
  ImportMode,
  type ImportOptions,
  type ImportReport,
  importEntities,
  type RowError,
} from "./import.js";
export { type ByteSource, ImportFormat, readRows, type SourceRow } from "./row-sources.js";
