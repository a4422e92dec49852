import { demoTracks, type Track } from "@portside/dj-room";

/** Where the page route serves a demo track's cover. */
export const DEMO_COVER_PATH = "/dj/art/";

const hash = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo catalog's tracks with album covers, as a provider would return them: the cover URL is
 * part of the track data the server stores, never something a browser sends.
 */
export const demoTracksWithCovers: readonly Track[] = demoTracks.map((track) => ({
  ...track,
  imageUrl: `${DEMO_COVER_PATH}${track.id}.svg`,
}));

/** A made-up album cover: two colours and the album's name, the same for every track of an album. */
export function demoCoverSvg(trackId: string): string | null {
  const track = demoTracks.find((t) => t.id === trackId);
  if (!track) return null;
  const album = track.album ?? track.title;
  const seed = hash(album);
  const hue = seed % 360;
  const second = (hue + 40 + (seed % 80)) % 360;
  const words = album.split(" ");
  const lines = words.length > 1 ? [words.slice(0, -1).join(" "), words.at(-1)!] : words;
  const text = lines
    .map(
      (line, i) =>
        `<text x="24" y="${250 - (lines.length - 1 - i) * 40}" font-size="36">${escapeXml(line)}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 300" width="300" height="300">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="hsl(${hue} 70% 45%)"/><stop offset="1" stop-color="hsl(${second} 65% 18%)"/>
</linearGradient></defs>
<rect width="300" height="300" fill="url(#g)"/>
<circle cx="${200 + (seed % 60)}" cy="${70 + (seed % 50)}" r="${50 + (seed % 40)}" fill="hsl(${(hue + 180) % 360} 80% 70% / .35)"/>
<g font-family="system-ui, sans-serif" font-weight="800" fill="#fff">${text}</g>
<text x="24" y="40" font-family="system-ui, sans-serif" font-size="16" fill="#fff" opacity=".8">${escapeXml(track.artists.join(", "))}</text>
</svg>`;
}
