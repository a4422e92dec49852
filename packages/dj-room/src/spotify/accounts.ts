import { z } from "zod";
import { DjRoomError } from "../errors.js";
import { errorMessage, type ResolvedHttp, sendWithRateLimit } from "./http-client.js";

/** A Spotify application's client id and secret. */
export interface SpotifyCredentials {
  clientId: string;
  clientSecret: string;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
});

/** Spotify's answer to a token request. */
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** POST /api/token on the accounts service, with the client's Basic credentials. */
export async function requestToken(
  http: ResolvedHttp,
  credentials: SpotifyCredentials,
  params: Record<string, string>,
): Promise<TokenResponse> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64");
  const response = await sendWithRateLimit(http, `${http.accounts}/api/token`, () => ({
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  }));
  if (!response.ok) {
    const { message, reason } = await errorMessage(response);
    if (reason === "invalid_grant") {
      throw new DjRoomError("PROVIDER_NOT_CONNECTED", `Spotify refused the grant: ${message}`, {
        details: { reason },
      });
    }
    throw new DjRoomError(
      "PROVIDER_UNAVAILABLE",
      `Spotify token request failed (${response.status}): ${message}`,
      {
        details: { status: response.status, ...(reason ? { reason } : {}) },
      },
    );
  }
  const parsed = tokenResponseSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success)
    throw new DjRoomError(
      "PROVIDER_UNAVAILABLE",
      "Spotify answered the token request with an unexpected body",
    );
  return parsed.data;
}
