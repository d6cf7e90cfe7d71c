"""Trains the fixture model on token ids made by transformers.js and exports it for transformers.js.

Run by build.ts (npm run fixture:model) with Debian's /usr/bin/python3 (python3-torch 1.13,
python3-onnx 1.12). Input: a JSON file {"train": [{"ids": [...], "prompt_length": n}], "heldout":
[...]} (ids of the ChatML text: prompt up to "<|im_start|>assistant\\n", then the answer and
"<|im_end|>"). The loss is taken on the answer tokens and the closing <|im_end|> only.
Output in --out: onnx/model.onnx (fp32, opset 14, with KV cache), config.json,
generation_config.json.

Deterministic for a seed: one thread, fixed step count, seeded batch order.
"""

import argparse
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiny_llama import OnnxWrapper, TinyLlama  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--vocab-size", type=int, required=True)
    p.add_argument("--eos-token-id", type=int, required=True)
    p.add_argument("--pad-token-id", type=int, required=True)
    p.add_argument("--max-positions", type=int, required=True)
    p.add_argument("--hidden-size", type=int, default=128)
    p.add_argument("--intermediate-size", type=int, default=352)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=2)
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def model_config(a):
    return {
        "vocab_size": a.vocab_size,
        "hidden_size": a.hidden_size,
        "intermediate_size": a.intermediate_size,
        "num_hidden_layers": a.layers,
        "num_attention_heads": a.heads,
        "num_key_value_heads": a.heads,
        "head_dim": a.hidden_size // a.heads,
        "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0,
    }


def batch_tensors(examples, pad_id):
    """Right-padded ids [b, t], answer_index [b, a] (positions whose next token is an answer
    token), targets [b, a] and a loss mask [b, a]."""
    t = max(len(e["ids"]) for e in examples)
    a = max(len(e["ids"]) - e["prompt_length"] for e in examples)
    ids = torch.full((len(examples), t), pad_id, dtype=torch.long)
    index = torch.zeros((len(examples), a), dtype=torch.long)
    targets = torch.zeros((len(examples), a), dtype=torch.long)
    mask = torch.zeros((len(examples), a))
    for row, e in enumerate(examples):
        seq, start = e["ids"], e["prompt_length"]
        ids[row, : len(seq)] = torch.tensor(seq)
        n = len(seq) - start
        index[row, :n] = torch.arange(start - 1, len(seq) - 1)
        index[row, n:] = len(seq) - 2
        targets[row, :n] = torch.tensor(seq[start:])
        mask[row, :n] = 1.0
    return ids, index, targets, mask


def answer_loss(model, examples, pad_id):
    ids, index, targets, mask = batch_tensors(examples, pad_id)
    logits = model.logits(model.training_hidden_states(ids, index))
    losses = torch.nn.functional.cross_entropy(
        logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none"
    )
    return (losses * mask.reshape(-1)).sum() / mask.sum()


def self_check(model, example):
    """The cheap training forward, the full forward and cached step-by-step decoding agree."""
    ids = torch.tensor([example["ids"]])
    t = ids.shape[1]
    mask = torch.ones_like(ids)
    positions = torch.arange(t).unsqueeze(0)
    with torch.no_grad():
        full, _ = model(ids, mask, positions)
        start = example["prompt_length"] - 1
        index = torch.arange(start, t).unsqueeze(0)
        cheap = model.logits(model.training_hidden_states(ids, index))
        train_diff = (cheap[0] - full[0, start:]).abs().max().item()
        split = t - 4
        first, past = model(ids[:, :split], mask[:, :split], positions[:, :split])
        steps = [first[:, -1]]
        for i in range(split, t):
            logits, past = model(ids[:, i : i + 1], mask[:, : i + 1], positions[:, i : i + 1], past)
            steps.append(logits[:, -1])
        cache_diff = (torch.stack(steps[:-1], 1) - full[:, split - 1 : t - 1]).abs().max().item()
    print(f"self-check: training forward diff {train_diff:.2e}, cached decoding diff {cache_diff:.2e}")
    if train_diff > 1e-3 or cache_diff > 1e-3:
        raise SystemExit("self-check failed: the forward passes disagree")


def export(model, cfg, out_dir):
    layers, heads, hd = cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["head_dim"]
    kv_names = [f"{i}.{kv}" for i in range(layers) for kv in ("key", "value")]
    dummy = (
        torch.ones((1, 5), dtype=torch.long),
        torch.ones((1, 8), dtype=torch.long),
        torch.arange(3, 8).unsqueeze(0),
        *[torch.randn(1, heads, 3, hd) for _ in kv_names],
    )
    dynamic = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for name in kv_names:
        dynamic[f"past_key_values.{name}"] = {0: "batch_size", 2: "past_sequence_length"}
        dynamic[f"present.{name}"] = {0: "batch_size", 2: "total_sequence_length"}
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    path = os.path.join(out_dir, "onnx", "model.onnx")
    torch.onnx.export(
        OnnxWrapper(model).eval(),
        dummy,
        path,
        opset_version=14,
        # Unfolded: folding would store the tied embedding a second time, transposed, for the
        # logits; onnxruntime folds it in memory when it loads the graph.
        do_constant_folding=False,
        input_names=["input_ids", "attention_mask", "position_ids"]
        + [f"past_key_values.{n}" for n in kv_names],
        output_names=["logits"] + [f"present.{n}" for n in kv_names],
        dynamic_axes=dynamic,
    )
    import onnx

    onnx.checker.check_model(onnx.load(path))
    return path


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def main():
    a = parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    torch.use_deterministic_algorithms(True)
    with open(a.data, encoding="utf-8") as f:
        data = json.load(f)
    train, heldout = data["train"], data["heldout"]
    longest = max(len(e["ids"]) for e in train + heldout)
    if longest > a.max_positions:
        raise SystemExit(f"{a.data}: an example has {longest} tokens, more than {a.max_positions}")
    cfg = model_config(a)
    model = TinyLlama(cfg)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {params} parameters, {len(train)} training examples, longest {longest} tokens")

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
        lr=a.lr,
        betas=(0.9, 0.95),
    )
    warmup = max(1, a.steps // 10)

    def lr_at(step):
        if step < warmup:
            return a.lr * (step + 1) / warmup
        progress = (step - warmup) / max(1, a.steps - warmup)
        return a.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    order = torch.Generator().manual_seed(a.seed)
    perm, cursor = torch.randperm(len(train), generator=order).tolist(), 0
    started = time.time()
    model.train()
    for step in range(a.steps):
        if cursor + a.batch > len(perm):
            perm, cursor = torch.randperm(len(train), generator=order).tolist(), 0
        batch = [train[i] for i in perm[cursor : cursor + a.batch]]
        cursor += a.batch
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step)
        loss = answer_loss(model, batch, a.pad_token_id)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if step % 25 == 0 or step == a.steps - 1:
            elapsed = time.time() - started
            print(
                f"step {step + 1}/{a.steps} loss {loss.item():.3f} "
                f"{elapsed:.0f}s (eta {elapsed / (step + 1) * (a.steps - step - 1):.0f}s)",
                flush=True,
            )
    train_seconds = time.time() - started
    model.eval()
    with torch.no_grad():
        held = sum(answer_loss(model, [e], a.pad_token_id).item() for e in heldout) / len(heldout)
    print(f"trained {a.steps} steps in {train_seconds:.0f}s; held-out answer loss {held:.3f}")
    self_check(model, heldout[0])

    export(model, cfg, a.out)
    write_json(
        os.path.join(a.out, "config.json"),
        {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            **cfg,
            "max_position_embeddings": a.max_positions,
            "hidden_act": "silu",
            "tie_word_embeddings": True,
            "bos_token_id": None,
            "eos_token_id": a.eos_token_id,
            "pad_token_id": a.pad_token_id,
            "torch_dtype": "float32",
            "use_cache": True,
            "transformers.js_config": {"dtype": "fp32"},
        },
    )
    write_json(
        os.path.join(a.out, "generation_config.json"),
        {
            "bos_token_id": None,
            "eos_token_id": a.eos_token_id,
            "pad_token_id": a.pad_token_id,
            "do_sample": False,
            "max_new_tokens": 128,
        },
    )
    write_json(
        os.path.join(os.path.dirname(a.data), "train-report.json"),
        {"parameters": params, "train_seconds": round(train_seconds), "heldout_loss": held},
    )


if __name__ == "__main__":
    main()
