import { readdir, readFile } from "node:fs/promises";
import { normalizeRoomCode } from "@portside/dj-room";
import { errorResponse, HttpErrorCode } from "@portside/http";
import QRCode from "qrcode";

const PAGE_DIR = new URL("./page/", import.meta.url);
const ASSET_PATH = "/dj/page/";

const contentTypes: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

const isPage = (path: string) => path === "/dj" || /^\/dj\/[A-Za-z0-9]{6}(\/tv)?$/.test(path);

export interface PageRoutesOptions {
  /** Origins the page may open live connections to besides its own (e.g. a `wss://` WebSocket API). */
  connectSources?: string[];
  /** The public origin the QR code points at (`https://dj.example.com`). Default: the request's. */
  publicUrl?: string;
}

/**
 * The room's web page: `/dj` (join or host), `/dj/<code>` (the same, code filled in), `/dj/<code>/tv`
 * (the screen at the venue), its scripts and styles, the room's QR code and the demo covers.
 * Answers null for any other path.
 */
export async function createPageRoutes(options: PageRoutesOptions = {}) {
  const files = new Map<string, string>();
  for (const name of await readdir(PAGE_DIR))
    files.set(name, await readFile(new URL(name, PAGE_DIR), "utf8"));
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    `connect-src 'self' ${(options.connectSources ?? []).join(" ")}`.trim(),
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");

  const file = (name: string, cache = "no-cache") => {
    const body = files.get(name);
    if (body === undefined) return null;
    const type = contentTypes[name.split(".").pop()!] ?? "application/octet-stream";
    return new Response(body, {
      headers: { "content-type": type, "cache-control": cache, "content-security-policy": csp },
    });
  };

  return async (request: Request): Promise<Response | null> => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/$/, "");
    if (!path.startsWith("/dj")) return null;
    if (request.method !== "GET" && request.method !== "HEAD") {
      return isPage(path)
        ? errorResponse(405, HttpErrorCode.methodNotAllowed, "GET only", {}, { allow: "GET, HEAD" })
        : null;
    }

    if (path === "/dj") return file("index.html");
    if (path.startsWith(ASSET_PATH)) return file(path.slice(ASSET_PATH.length));
    const [, , codeSegment, view, ...rest] = path.split("/");
    const code = normalizeRoomCode(codeSegment ?? "");
    if (code === null || rest.length > 0) return null;
    if (view === undefined) return file("index.html");
    if (view === "tv") return file("tv.html");
    if (view === "qr.svg") {
      const origin = (options.publicUrl ?? url.origin).replace(/\/$/, "");
      const svg = await QRCode.toString(`${origin}/dj/${code}`, {
        type: "svg",
        margin: 2,
        errorCorrectionLevel: "M",
        color: { dark: "#0b0d12", light: "#ffffff" },
      });
      return new Response(svg, {
        headers: { "content-type": contentTypes.svg!, "cache-control": "public, max-age=3600" },
      });
    }
    return null;
  };
}
