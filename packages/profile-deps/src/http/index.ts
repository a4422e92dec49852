export {
  type Actor,
  createProfileDepsHandler,
  type ProfileDepsHandlerOptions,
  type ProfileDepsHttpOptions,
} from "./handler.js";
