/** Which resolved package requires which, by name. */
export interface DependencyGraph {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

function reachable(graph: DependencyGraph, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.edges.get(from) ?? [])];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of graph.edges.get(n) ?? []) if (!seen.has(m)) stack.push(m);
  }
  seen.delete(from);
  return seen;
}

/** One dependency cycle (its nodes in order), or null. Deterministic: nodes and edges are walked in name order. */
export function findCycle(graph: DependencyGraph): string[] | null {
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 1);
    path.push(node);
    for (const next of [...(graph.edges.get(node) ?? [])].sort()) {
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
 */
export function dependencyOrder(graph: DependencyGraph, preferred: readonly string[]): string[] {
  const deps = new Map<string, Set<string>>();
  for (const node of graph.nodes) deps.set(node, reachable(graph, node));
  const listed = new Set(preferred);
  const rest = [...graph.nodes].filter((n) => !listed.has(n)).sort();
  const nodes = [...preferred, ...rest];
  const ordered: string[] = [];
  const done = new Set<string>();
  let head = 0;
  while (head < nodes.length) {
    const n = nodes[head]!;
    const nDeps = deps.get(n);
    if (done.has(n) || nDeps === undefined) {
      head++;
      continue;
    }
    let moved = false;
    if (nDeps.size > 0) {
      for (let i = head + 1; i < nodes.length; i++) {
        const m = nodes[i]!;
        if (nDeps.has(m)) {
          nodes.splice(i, 1);
          nodes.splice(head, 0, m);
          moved = true;
          break;
        }
      }
    }
    if (!moved) {
      ordered.push(n);
      done.add(n);
      head++;
    }
  }
  return ordered;
}
