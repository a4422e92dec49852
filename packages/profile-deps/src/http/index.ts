export { HttpError } from "./errors.js";
export { type Actor, createProfileDepsHandler, type ProfileDepsHttpOptions } from "./handler.js";
