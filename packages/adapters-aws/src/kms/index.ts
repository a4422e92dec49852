export { KmsError, KmsErrorCode } from "./errors.js";
export { createKmsKeyDecrypter, type KmsKeyDecrypter, type KmsKeyDecrypterOptions } from "./key-decrypter.js";
