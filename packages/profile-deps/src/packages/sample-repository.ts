/**
 * A small repository for demos and tests: a few DCC applications, Python and libraries,
 * with variants per Python and platform. Same format as `createMemoryRepository` loads.
 */
export const sampleRepositoryDocument = {
  format: "rez-benchmark-repository/1",
  families: {
    platform: {
      linux: { requires: [], timestamp: 1600000000 },
      windows: { requires: [], timestamp: 1600000000 },
    },
    python: {
      "3.9.18": { requires: [], timestamp: 1600000100 },
      "3.10.13": { requires: [], timestamp: 1650000000 },
      "3.11.6": { requires: [], timestamp: 1700000000 },
    },
    numpy: {
      "1.24.4": {
        requires: [],
        variants: [["python-3.9"], ["python-3.10"], ["python-3.11"]],
        timestamp: 1680000000,
      },
      "1.26.2": { requires: [], variants: [["python-3.10"], ["python-3.11"]], timestamp: 1700000100 },
    },
    openexr: {
      "3.1.11": { requires: [], timestamp: 1690000000 },
      "3.2.1": { requires: [], timestamp: 1700000200 },
    },
    usd: {
      "23.08": {
        requires: ["openexr-3.1"],
        variants: [["python-3.9"], ["python-3.10"]],
        timestamp: 1691000000,
      },
      "23.11": {
        requires: ["openexr-3.2"],
        variants: [["python-3.10"], ["python-3.11"]],
        timestamp: 1700000300,
      },
    },
    maya: {
      "2023.3": { requires: ["python-3.9", "platform-linux|windows"], timestamp: 1670000000 },
      "2024.2": { requires: ["python-3.10", "platform-linux|windows"], timestamp: 1695000000 },
    },
    houdini: {
      "19.5.773": { requires: ["python-3.9", "platform-linux"], timestamp: 1690000000 },
      "20.0.547": { requires: ["python-3.10", "platform-linux"], timestamp: 1700000400 },
    },
    nuke: {
      "14.0.5": { requires: ["python-3.9"], timestamp: 1690000000 },
      "15.0.1": { requires: ["python-3.10"], timestamp: 1700000500 },
    },
    studio_tools: {
      "1.0.0": { requires: ["python-3.9+", "numpy"], timestamp: 1690000000 },
      "2.0.0": { requires: ["python-3.10+", "numpy-1.26", "usd"], timestamp: 1700000600 },
    },
  },
} as const;
