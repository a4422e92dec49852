/** The request of issue 13 that Rez runs for 21 minutes without an answer, over the benchmark repository. */
export const PATHOLOGICAL_REQUEST = [
  "~diam==linux",
  "~understatement==x86_64",
  "~aftershave==CentOS-7",
  "studio",
  "facet-2.8.0",
  "appearance",
  "nail",
  "support",
  "accounting-0",
  "!volcano-5.2.0",
];
