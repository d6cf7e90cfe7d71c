"""Times the STEPS paper's own code on a graph file, for bench/scale.bench.ts.

Usage: python3 bench/paperCode.py PAPER_CHECKOUT GRAPH_JSON LEVELS SIZE BEAM START[,START...]

PAPER_CHECKOUT is a checkout of https://github.com/weiyifan1023/STEPS (this file only imports its
src/struct_entropy.py, which needs PyTorch, networkx and tqdm: Debian's python3-torch,
python3-networkx and python3-tqdm). On one thread, as this project's code runs: its 3-level tree builder
(find_k_dim_entropy_tree) and its global search (find_max_global_conditional_entropy_sets,
set_size = SIZE - 1) from each start. Prints one JSON object with wall and CPU seconds.
"""
import json
import os
import sys
import time


def timed(run):
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def main():
    checkout, graph_path, levels, size, beam, starts = sys.argv[1:7]
    sys.path.insert(0, os.path.join(checkout, "src"))
    import torch

    torch.set_num_threads(1)
    from struct_entropy import StructEntropy

    with open(graph_path, encoding="utf-8") as file:
        graph = json.load(file)
    edges = torch.tensor([[u, v] for u, v, _ in graph["edges"]], dtype=torch.long)
    weights = torch.tensor([w for _, _, w in graph["edges"]], dtype=torch.float)
    se = StructEntropy(edges, weights)
    _, tree = timed(lambda: se.find_k_dim_entropy_tree(k_dim=int(levels)))
    start_ids = [int(s) for s in starts.split(",")]

    def search():
        for start in start_ids:
            se.find_max_global_conditional_entropy_sets(
                x_set=[start], set_size=int(size) - 1, beam_width=int(beam)
            )

    _, search_time = timed(search)
    # The paper's code prints progress on stdout: the figures are the last line.
    print("\n" + json.dumps({"tree": tree, "search": search_time, "starts": len(start_ids)}))


main()
