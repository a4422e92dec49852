/** The browser's id, kept a year in an HttpOnly cookie: a ban follows it across rejoins. */
export const DEVICE_COOKIE = "dj_device";

const DEVICE_ID = /^[A-Za-z0-9-]{16,64}$/;

export function readDeviceId(request: Request): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    const value = rest.join("=");
    if (name === DEVICE_COOKIE && DEVICE_ID.test(value)) return value;
  }
  return null;
}

export function deviceCookie(deviceId: string, secure: boolean): string {
  return `${DEVICE_COOKIE}=${deviceId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000${secure ? "; Secure" : ""}`;
}
