export { S3Error, S3ErrorCode } from "./errors.js";
export { createS3ObjectReader, type S3ObjectReader, type S3ObjectReaderOptions } from "./object-reader.js";
