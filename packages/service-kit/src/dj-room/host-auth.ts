import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";

const COOKIE = "dj_host";
const nameSchema = z.string().trim().min(1).max(40);

export function readCookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/**
 * The example's own host sign-in, standing in for a real application's: `POST /dj/host-login`
 * with a display name sets an HttpOnly cookie carrying a signed host identity.
 */
export function createDemoHostAuth(secret: Uint8Array) {
  const ttlSeconds = 12 * 60 * 60;
  return {
    async authenticate(request: Request): Promise<{ hostId: string; name: string } | null> {
      const token = readCookie(request, COOKIE);
      if (!token) return null;
      try {
        const { payload } = await jwtVerify(token, secret, { audience: "dj-host", algorithms: ["HS256"] });
        return payload.sub ? { hostId: payload.sub, name: String(payload.name ?? "Host") } : null;
      } catch {
        return null;
      }
    },
    async login(request: Request): Promise<Response> {
      const body = (await request.json().catch(() => ({}))) as { name?: unknown };
      const parsed = nameSchema.safeParse(body.name ?? "Host");
      if (!parsed.success) {
        return Response.json(
          { error: { code: "VALIDATION", message: "Invalid name", details: { issues: [{ path: "name" }] } } },
          { status: 400 },
        );
      }
      const existing = await this.authenticate(request);
      const hostId = existing?.hostId ?? `demo-${crypto.randomUUID()}`;
      const token = await new SignJWT({ name: parsed.data })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(hostId)
        .setAudience("dj-host")
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(secret);
      const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
      return Response.json(
        { hostId, name: parsed.data },
        {
          headers: {
            "set-cookie": `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ttlSeconds}${secure}`,
          },
        },
      );
    },
  };
}
