import type { MusicProvider } from "../ports/music-provider.js";
import type { Track } from "../track.js";

const seed: [string, string, string, number][] = [
  ["Harbour Lights", "The Moorings", "Low Tide", 212],
  ["Container Ship", "The Moorings", "Low Tide", 187],
  ["Paper Lanterns", "Juniper Vale", "Night Market", 245],
  ["Neon Rain", "Juniper Vale", "Night Market", 199],
  ["Slow Orbit", "Kestrel", "Apogee", 264],
  ["Gravity Well", "Kestrel", "Apogee", 230],
  ["Salt & Static", "Marrow Lane", "Coastline", 176],
  ["Coastline", "Marrow Lane", "Coastline", 221],
  ["Brass Monday", "The Quayside Horns", "Dockside", 205],
  ["Tugboat Shuffle", "The Quayside Horns", "Dockside", 168],
  ["Velvet Signal", "Nova Reyes", "Frequencies", 238],
  ["Shortwave", "Nova Reyes", "Frequencies", 192],
  ["Lighthouse Keeper", "Orla Finch", "Beacons", 256],
  ["Fog Horn Lullaby", "Orla Finch", "Beacons", 201],
  ["Morning Ferry", "Cobalt Street", "Commute", 183],
  ["Rush Hour Waltz", "Cobalt Street", "Commute", 227],
  ["Anchor Down", "Driftwood Choir", "Undertow", 249],
  ["Undertow", "Driftwood Choir", "Undertow", 272],
  ["Cargo Cult Disco", "Halyard", "Knots", 214],
  ["Bowline", "Halyard", "Knots", 196],
  ["Midnight Pier", "Sable Monroe", "After Hours", 233],
  ["Last Tram Home", "Sable Monroe", "After Hours", 208],
  ["Starboard Smile", "The Gulls", "Wingspan", 174],
  ["Port Side Story", "The Gulls", "Wingspan", 219],
];

/** The demo's catalog: two dozen made-up tracks, ids `demo-01`... */
export const demoTracks: readonly Track[] = seed.map(([title, artist, album, seconds], i) => {
  const id = `demo-${String(i + 1).padStart(2, "0")}`;
  return {
    provider: "demo",
    id,
    uri: `demo:track:${id}`,
    title,
    artists: [artist],
    album,
    durationMs: seconds * 1000,
    imageUrl: null,
  };
});

/** An in-memory `MusicProvider` over a fixed list of tracks (the demo catalog by default). */
export function createMemoryCatalog(tracks: readonly Track[] = demoTracks): MusicProvider {
  const byId = new Map(tracks.map((t) => [t.id, t]));
  return {
    name: "memory-catalog",
    async search(query, options = {}) {
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      const limit = options.limit ?? 20;
      return tracks
        .filter((t) => {
          const text = `${t.title} ${t.artists.join(" ")} ${t.album ?? ""}`.toLowerCase();
          return words.every((w) => text.includes(w));
        })
        .slice(0, limit)
        .map((t) => structuredClone(t));
    },
    async getTrack(trackId) {
      const track = byId.get(trackId);
      return track ? structuredClone(track) : null;
    },
  };
}
