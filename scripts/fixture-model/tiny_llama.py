"""A tiny Llama-style decoder whose forward pass exports to the ONNX contract transformers.js drives.

RMSNorm, rotate-half RoPE from position_ids, SwiGLU MLP, lm_head tied to the embeddings, and a
key/value cache: past tensors [batch, heads, past_len, head_dim] in, present tensors
[batch, heads, past_len + new_len, head_dim] out. The attention mask is built from tensor ops
only (no Python ints from shapes), so every length stays symbolic in the exported graph.
"""

import math

import torch
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, self.heads, self.head_dim = cfg["hidden_size"], cfg["num_attention_heads"], cfg["head_dim"]
        inner = self.heads * self.head_dim
        self.q_proj = nn.Linear(d, inner, bias=False)
        self.k_proj = nn.Linear(d, inner, bias=False)
        self.v_proj = nn.Linear(d, inner, bias=False)
        self.o_proj = nn.Linear(inner, d, bias=False)

    def project(self, x, cos, sin):
        """Rotated queries, keys and values [b, heads, t, head_dim]; queries pre-scaled."""
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        q = (q * cos + rotate_half(q) * sin) * (1.0 / math.sqrt(self.head_dim))
        k = k * cos + rotate_half(k) * sin
        return q, k, v

    def attend(self, q, k, v, bias):
        out = torch.matmul(torch.softmax(torch.matmul(q, k.transpose(-1, -2)) + bias, dim=-1), v)
        b, _, t, _ = out.shape
        return self.o_proj(out.transpose(1, 2).reshape(b, t, self.heads * self.head_dim))

    def forward(self, x, cos, sin, bias, past_k, past_v):
        q, k, v = self.project(x, cos, sin)
        if past_k is not None:
            k = torch.cat((past_k, k), dim=2)
            v = torch.cat((past_v, v), dim=2)
        return self.attend(q, k, v, bias), k, v


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, ffn = cfg["hidden_size"], cfg["intermediate_size"]
        self.input_layernorm = RMSNorm(d, cfg["rms_norm_eps"])
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(d, cfg["rms_norm_eps"])
        self.gate_proj = nn.Linear(d, ffn, bias=False)
        self.up_proj = nn.Linear(d, ffn, bias=False)
        self.down_proj = nn.Linear(ffn, d, bias=False)

    def mlp(self, x):
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(nn.functional.silu(self.gate_proj(h)) * self.up_proj(h))

    def forward(self, x, cos, sin, bias, past_k, past_v):
        attn, k, v = self.self_attn(self.input_layernorm(x), cos, sin, bias, past_k, past_v)
        return self.mlp(x + attn), k, v


class TinyLlama(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList(Block(cfg) for _ in range(cfg["num_hidden_layers"]))
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        hd = cfg["head_dim"]
        inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def rope(self, position_ids):
        freqs = position_ids.to(torch.float32).unsqueeze(-1) * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1).unsqueeze(1)
        return emb.cos(), emb.sin()

    def hidden_states(self, input_ids, attention_mask, position_ids, past=None):
        """Final normed hidden states [b, t, d] and the present (key, value) per layer."""
        x = self.embed_tokens(input_ids)
        cos, sin = self.rope(position_ids)
        # Query i sits at absolute index (total - new + i); it may see key j when j <= that index
        # and the key is not padding.
        q_idx = torch.cumsum(torch.ones_like(input_ids[0]), 0) - 1
        k_idx = torch.cumsum(torch.ones_like(attention_mask[0]), 0) - 1
        q_abs = q_idx + (k_idx[-1] - q_idx[-1])
        allowed = (k_idx.unsqueeze(0) <= q_abs.unsqueeze(1)).unsqueeze(0) & (
            attention_mask.unsqueeze(1) > 0
        )
        bias = ((1.0 - allowed.to(torch.float32)) * -1e4).unsqueeze(1)
        presents = []
        for i, layer in enumerate(self.layers):
            past_k, past_v = past[i] if past is not None else (None, None)
            x, k, v = layer(x, cos, sin, bias, past_k, past_v)
            presents.append((k, v))
        return self.norm(x), presents

    def training_hidden_states(self, input_ids, answer_index):
        """Final normed hidden states [b, a, d] at the positions `answer_index` [b, a] only.

        The same function as `hidden_states` for right-padded rows without a cache (checked in
        train.py), but cheaper: a plain causal mask, and the last layer computes queries, MLP and
        norm only where the loss is taken.
        """
        b, t = input_ids.shape
        x = self.embed_tokens(input_ids)
        cos, sin = self.rope(torch.arange(t).unsqueeze(0))
        causal = torch.full((t, t), -1e4).triu(1)
        for layer in self.layers[:-1]:
            x, _, _ = layer(x, cos, sin, causal, None, None)
        last = self.layers[-1]
        q, k, v = last.self_attn.project(last.input_layernorm(x), cos, sin)
        heads, hd = q.shape[1], q.shape[3]
        rows = answer_index.unsqueeze(1).unsqueeze(-1).expand(b, heads, answer_index.shape[1], hd)
        q = torch.gather(q, 2, rows)
        bias = causal[answer_index].unsqueeze(1)
        x_answer = torch.gather(x, 1, answer_index.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        out = last.mlp(x_answer + last.self_attn.attend(q, k, v, bias))
        return self.norm(out)

    def logits(self, hidden):
        # A 2-D linear exports as Gemm(transB=1) on the shared embedding matrix; a 3-D matmul with
        # its transpose would be constant-folded into a second copy of the matrix.
        flat = nn.functional.linear(hidden.reshape(-1, hidden.shape[-1]), self.embed_tokens.weight)
        return flat.reshape(*hidden.shape[:-1], flat.shape[-1])

    def forward(self, input_ids, attention_mask, position_ids, past=None):
        hidden, presents = self.hidden_states(input_ids, attention_mask, position_ids, past)
        return self.logits(hidden), presents


class OnnxWrapper(nn.Module):
    """Flattens the cache into positional tensors named past_key_values.{i}.key/value."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *flat_past):
        layers = self.model.cfg["num_hidden_layers"]
        past = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(layers)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        return (logits, *[t for kv in presents for t in kv])
