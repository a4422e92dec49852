import { DjRoomError } from "../errors.js";
import type { RoomStore } from "../ports/room-store.js";

/**
 * The store as the use cases see it: an error the port does not document (anything but a
 * `DjRoomError`) becomes `STORE_FAILURE` once, its cause kept and its message not repeated
 * (it may name tables, hosts or credentials).
 */
export function guardStore(store: RoomStore): RoomStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (error) {
          if (error instanceof DjRoomError) throw error;
          throw new DjRoomError("STORE_FAILURE", `The room store failed (${String(property)})`, {
            cause: error,
          });
        }
      };
    },
  });
}
