import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { S3Error, S3ErrorCode } from "./errors.js";

/** Options of `createS3ObjectReader`: the client and the object to read. */
export interface S3ObjectReaderOptions {
  client: S3Client;
  bucket: string;
  key: string;
}

/** Structurally `@portside/event-recorder`'s `ObjectReader`. */
export interface S3ObjectReader {
  /** Reads the object's bytes. */
  read(): Promise<Uint8Array>;
}

/** `createS3ObjectReader({ client, bucket, key })`: the object's bytes; a missing object is `S3_OBJECT_NOT_FOUND`. */
export function createS3ObjectReader(options: S3ObjectReaderOptions): S3ObjectReader {
  const { client, bucket, key } = options;
  return {
    async read() {
      try {
        const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!Body) throw new Error("S3 returned no body");
        return await Body.transformToByteArray();
      } catch (error) {
        const name = (error as { name?: string }).name;
        const missing = name === "NoSuchKey" || name === "NoSuchBucket" || name === "NotFound";
        throw new S3Error(
          missing ? S3ErrorCode.notFound : S3ErrorCode.readFailed,
          `Could not read s3://${bucket}/${key}: ${(error as Error).message}`,
          { bucket, key, cause: error },
        );
      }
    },
  };
}
