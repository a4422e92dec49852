/** Which resolved package requires which, by name. */
export interface DependencyGraph {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

/** One dependency cycle (its nodes in order), or null. Deterministic: nodes in name order, edges in requires order. */
export function findCycle(graph: DependencyGraph): string[] | null {
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 1);
    path.push(node);
    for (const next of graph.edges.get(node) ?? []) {
      const s = state.get(next);
      if (s === 1) return path.slice(path.indexOf(next));
      if (s === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 2);
    return null;
  };
  for (const node of [...graph.nodes].sort()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

/**
 * Orders the graph's nodes as close to `preferred` as possible while putting
 * every node after the nodes it depends on (Rez's dependency order): walk the
 * list; when the head depends on a later node, move that node to the front.
 * The graph must have no cycle.
 */
export function dependencyOrder(graph: DependencyGraph, preferred: readonly string[]): string[] {
  const names = [...graph.nodes];
  const n = names.length;
  const position = new Map<string, number>();
  for (let i = 0; i < n; i++) position.set(names[i]!, i);
  const words = (n + 31) >>> 5;
  const reach = new Uint32Array(n * words);
  const state = new Uint8Array(n);
  const visit = (i: number): void => {
    state[i] = 1;
    const row = i * words;
    for (const child of graph.edges.get(names[i]!) ?? []) {
      const c = position.get(child);
      if (c === undefined) continue;
      if (state[c] === 0) visit(c);
      reach[row + (c >>> 5)]! |= 1 << (c & 31);
      const other = c * words;
      for (let w = 0; w < words; w++) reach[row + w]! |= reach[other + w]!;
    }
    state[i] = 2;
  };
  for (let i = 0; i < n; i++) if (state[i] === 0) visit(i);
  const dependsOn = (a: number, b: number) =>
    a !== b && (reach[a * words + (b >>> 5)]! & (1 << (b & 31))) !== 0;

  const listed = new Set(preferred);
  const rest = names.filter((name) => !listed.has(name)).sort();
  const nodes = [...preferred, ...rest].map((name) => position.get(name) ?? -1);
  const ordered: string[] = [];
  const done = new Uint8Array(n);
  let head = 0;
  while (head < nodes.length) {
    const current = nodes[head]!;
    if (current < 0 || done[current] === 1) {
      head++;
      continue;
    }
    let moved = false;
    for (let i = head + 1; i < nodes.length; i++) {
      const m = nodes[i]!;
      if (m >= 0 && dependsOn(current, m)) {
        nodes.splice(i, 1);
        nodes.splice(head, 0, m);
        moved = true;
        break;
      }
    }
    if (!moved) {
      ordered.push(names[current]!);
      done[current] = 1;
      head++;
    }
  }
  return ordered;
}
