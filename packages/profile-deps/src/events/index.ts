export {
  createProfileEventHandler,
  type ProfileEventHandler,
  type ProfileEventHandlers,
} from "./handle-profile-event.js";
export {
  type EventPublisher,
  PROFILE_EVENT_SOURCE,
  type ProfileChanged,
  ProfileChangeKind,
  type ProfileEvent,
  ProfileEventType,
  type ProfileValidated,
  parseProfileEvent,
  profileChangedSchema,
  profileValidatedSchema,
} from "./profile-events.js";
