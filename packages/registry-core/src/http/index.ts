export { errorBody, errorResponse } from "./error-response.js";
export { createRegistryHttpHandler, ifMatch, type RegistryHttpOptions } from "./handler.js";
export { type JwtAuthenticatorOptions, jwtAuthenticator } from "./jwt-authenticator.js";
