export { createRecorderHttpHandler, type RecorderHttpOptions } from "./handler.js";
