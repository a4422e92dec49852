import { djRoomPlaybackLambda } from "@portside/service-kit/dj-room";

/**
 * Advances playback with no Express process: run it on an EventBridge schedule (`rate(1 minute)`).
 * Room activity (any state read) checks its own room in between. One advance per song end
 * whoever checks, through a conditional write on the room.
 */
export const handler = djRoomPlaybackLambda();
