import { SignJWT } from "jose";

/** The HS256 secret the example tests configure as AUTH_JWT_SECRET. */
export const TEST_AUTH_SECRET = "portside-examples-test-secret-0123456789";

/** `Bearer <jwt>` for a caller with these roles, signed as the hosts expect (HS256). */
export async function bearer(
  roles: string[],
  subject = "tester",
  secret = TEST_AUTH_SECRET,
): Promise<string> {
  const token = await new SignJWT({ roles })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(secret));
  return `Bearer ${token}`;
}
