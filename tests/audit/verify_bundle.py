#!/usr/bin/env python3
"""An independent verifier of metod's audit bundles and consistency proofs.

This is the second of the two verifiers `docs/audit.md` names (the first is
`metod audit check`, in Rust). It is written from that document and from the
standards it builds on, not from the Rust code, so that a mistake in one is
caught by the other:

- RFC 9162 §2.1: the Merkle tree (SHA-256, leaf prefix 0x00, node prefix 0x01),
  §2.1.3.2 verifying an inclusion proof, §2.1.4.2 verifying a consistency proof;
- C2SP tlog-checkpoint: the note text `origin\\nsize\\nbase64(root)\\n`;
- C2SP signed-note: the text, a blank line, and signature lines
  `— <key name> base64(key id || Ed25519 signature)`, where the key id is the
  first four bytes of SHA-256(key name || 0x0A || 0x01 || public key), and the
  verifier key line `<name>+<hex key id>+base64(0x01 || public key)`;
- docs/audit.md: the canonical bytes of an event, bundle.json, and the order of
  the checks.

It needs Python 3 and the `cryptography` package (for Ed25519) only.

Usage:

    verify_bundle.py check DIR [--key FILE_OR_LINE]
    verify_bundle.py consistency OLD_CHECKPOINT NEW_CHECKPOINT PROOF_JSON --key FILE_OR_LINE

Exit status: 0 when everything verified (the last line of stdout starts with
`ok:`), 1 when something is refused (one line on stderr starting `refused: `,
naming what failed and where), 2 on a usage error.
"""

import argparse
import base64
import binascii
import hashlib
import json
import os
import re
import struct
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import List, Optional, Tuple

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - reported at run time, not a traceback
    Ed25519PublicKey = None
    InvalidSignature = Exception

BUNDLE_FORMAT = "metod-audit-bundle-v1"
CONSISTENCY_FORMAT = "metod-consistency-v1"
EVENT_TAG = b"metod-event-v1"
HASH_LEN = 32
ED25519_TYPE = 0x01
MAX_SIGNATURE_LINES = 100
U64_MAX = 2**64 - 1
ROLES = ("document", "basis")
BASIS_KINDS = ("order", "protocol")


class VerifyError(ValueError):
    """Something does not verify; the message says what, for a human."""


# ---------------------------------------------------------------- hashing (RFC 9162 §2.1.1)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(leaf_input: bytes) -> bytes:
    return sha256(b"\x00" + leaf_input)


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


EMPTY_ROOT = sha256(b"")


# ---------------------------------------------------------------- inclusion (RFC 9162 §2.1.3.2)


def inclusion_path_length(index: int, size: int) -> int:
    """How many hashes the audit path of leaf `index` in a tree of `size` leaves has.

    The same walk as the verification below, without hashing: it lets a refusal
    say "N hashes, expected M" instead of only "does not verify".
    """
    fn, sn, count = index, size - 1, 0
    while sn != 0:
        if fn & 1 or fn == sn:
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        fn >>= 1
        sn >>= 1
        count += 1
    return count


def _check_hashes(proof: List[bytes], what: str) -> None:
    for i, p in enumerate(proof):
        if not isinstance(p, (bytes, bytearray)) or len(p) != HASH_LEN:
            raise VerifyError(f"{what} hash {i} is not {HASH_LEN} bytes")


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: List[bytes]) -> bytes:
    """The root that `proof` leads to from the leaf hash `leaf` at `index` (RFC 9162 §2.1.3.2)."""
    if index < 0 or size < 0:
        raise VerifyError("negative leaf index or tree size")
    if index >= size:
        raise VerifyError(f"leaf index {index} is not less than the tree size {size}")
    if len(leaf) != HASH_LEN:
        raise VerifyError(f"leaf hash is not {HASH_LEN} bytes")
    _check_hashes(proof, "inclusion proof")
    expected = inclusion_path_length(index, size)
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise VerifyError(f"inclusion proof has {len(proof)} hashes, expected {expected} (too long)")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerifyError(f"inclusion proof has {len(proof)} hashes, expected {expected} (too short)")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: List[bytes], root: bytes) -> None:
    """Raises VerifyError unless `proof` proves leaf hash `leaf` at `index` under `root`."""
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise VerifyError("inclusion proof does not lead to the checkpoint root")


# ---------------------------------------------------------------- consistency (RFC 9162 §2.1.4.2)


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: List[bytes]) -> None:
    """Raises VerifyError unless `proof` shows the tree (new_size, new_root) extends (old_size, old_root).

    RFC 9162 states the algorithm for 0 < old_size < new_size. The two trivial
    cases are decided here: equal sizes need equal roots and an empty proof; the
    empty tree (whose root is SHA-256 of nothing) is extended by every tree, with
    an empty proof.
    """
    if old_size < 0 or new_size < 0:
        raise VerifyError("negative tree size")
    if old_size > new_size:
        raise VerifyError(f"old size {old_size} is greater than new size {new_size}")
    if len(old_root) != HASH_LEN or len(new_root) != HASH_LEN:
        raise VerifyError(f"a root hash is not {HASH_LEN} bytes")
    _check_hashes(proof, "consistency proof")
    if old_size == new_size:
        if proof:
            raise VerifyError(f"consistency proof between equal sizes must be empty, has {len(proof)} hashes")
        if old_root != new_root:
            raise VerifyError(f"the two roots of size {old_size} differ")
        return
    if old_size == 0:
        if proof:
            raise VerifyError(f"consistency proof from the empty tree must be empty, has {len(proof)} hashes")
        if old_root != EMPTY_ROOT:
            raise VerifyError("the old root is not the empty tree's root")
        return
    # 1. An empty path proves nothing.
    if not proof:
        raise VerifyError("consistency proof is empty")
    path = list(proof)
    # 2. When the old tree is a complete subtree, its root is the path's start.
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    # 3., 4.
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5.
    fr = sr = path[0]
    # 6.
    for c in path[1:]:
        if sn == 0:
            raise VerifyError(f"consistency proof is too long ({len(proof)} hashes)")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    # 7.
    if sn != 0:
        raise VerifyError(f"consistency proof is too short ({len(proof)} hashes)")
    if fr != old_root:
        raise VerifyError("consistency proof does not reproduce the old root")
    if sr != new_root:
        raise VerifyError("consistency proof does not reproduce the new root")


# ---------------------------------------------------------------- strict decoders


def b64decode_strict(text: str, what: str) -> bytes:
    """Standard base64 with padding, in its one canonical spelling."""
    if not isinstance(text, str):
        raise VerifyError(f"{what} is not a string")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise VerifyError(f"{what} is not valid base64") from None
    if base64.b64encode(data).decode("ascii") != text:
        raise VerifyError(f"{what} is not canonical base64")
    return data


_HEX32 = re.compile(r"[0-9a-fA-F]{64}")


def hash_from_hex(text, what: str) -> bytes:
    if not isinstance(text, str):
        raise VerifyError(f"{what} is not a string")
    if not _HEX32.fullmatch(text):
        raise VerifyError(f"{what} is not the hex of a 32-byte hash")
    return bytes.fromhex(text)


def _reject_constant(name):
    raise VerifyError(f"JSON constant {name} is not allowed")


def _no_duplicate_keys(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise VerifyError(f"JSON key {k!r} appears twice")
        obj[k] = v
    return obj


def parse_json(data: bytes, what: str):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VerifyError(f"{what} is not valid UTF-8") from None
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except VerifyError:
        raise
    except json.JSONDecodeError as e:
        raise VerifyError(f"{what} is not valid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    except RecursionError:
        raise VerifyError(f"{what} is nested too deeply") from None
    except ValueError as e:  # e.g. an integer with more digits than Python converts
        raise VerifyError(f"{what} is not acceptable JSON ({e})") from None


def _field(what: str, key: str) -> str:
    return f"{what} {key}" if what else key


def json_uint(obj: dict, key: str, what: str) -> int:
    if key not in obj:
        raise VerifyError(f"{_field(what, key)} is missing")
    v = obj[key]
    if isinstance(v, bool) or not isinstance(v, int):
        raise VerifyError(f"{_field(what, key)} is not an integer")
    if v < 0:
        raise VerifyError(f"{_field(what, key)} is negative ({v})")
    if v > U64_MAX:
        raise VerifyError(f"{_field(what, key)} is too large ({v})")
    return v


def json_str(obj: dict, key: str, what: str) -> str:
    if key not in obj:
        raise VerifyError(f"{_field(what, key)} is missing")
    v = obj[key]
    if not isinstance(v, str):
        raise VerifyError(f"{_field(what, key)} is not a string")
    return v


def json_hash_list(obj: dict, key: str, what: str) -> List[bytes]:
    if key not in obj:
        raise VerifyError(f"{_field(what, key)} is missing")
    v = obj[key]
    if not isinstance(v, list):
        raise VerifyError(f"{_field(what, key)} is not a list")
    return [hash_from_hex(h, f"{key} hash {i}") for i, h in enumerate(v)]


def read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise VerifyError(f"cannot read {path}: {e.strerror or e}") from None


# ---------------------------------------------------------------- keys (C2SP signed-note, docs/audit.md "Keys")


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_id: bytes
    public: bytes

    @property
    def label(self) -> str:
        return f"{self.name}+{self.key_id.hex()}"


def key_id_of(name: str, public: bytes) -> bytes:
    return sha256(name.encode("utf-8") + b"\x0a" + bytes([ED25519_TYPE]) + public)[:4]


def check_key_name(name: str, what: str) -> None:
    if not name:
        raise VerifyError(f"{what} is empty")
    if "+" in name or any(c.isspace() for c in name):
        raise VerifyError(f"{what} {name!r} contains a space or '+'")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise VerifyError(f"{what} contains a control character")


_HEX8 = re.compile(r"[0-9a-f]{8}")


def parse_verifier_key(line: str) -> VerifierKey:
    """`<name>+<8 lowercase hex key id>+base64(0x01 || 32-byte Ed25519 public key)`."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        raise VerifyError("verifier key is not valid UTF-8") from None
    parts = line.split("+", 2)
    if len(parts) != 3:
        raise VerifyError("verifier key is not <name>+<key id>+<base64 key>")
    name, hex_id, b64 = parts
    check_key_name(name, "verifier key name")
    if not _HEX8.fullmatch(hex_id):
        raise VerifyError(f"verifier key id {hex_id!r} is not 8 lowercase hex digits")
    raw = b64decode_strict(b64, "verifier key")
    if len(raw) != 33:
        raise VerifyError(f"verifier key is {len(raw)} bytes, expected 33 (type byte and Ed25519 key)")
    if raw[0] != ED25519_TYPE:
        raise VerifyError(f"verifier key type is 0x{raw[0]:02x}, expected 0x01 (Ed25519)")
    public = raw[1:]
    computed = key_id_of(name, public)
    if computed.hex() != hex_id:
        raise VerifyError(f"verifier key id {hex_id} does not match its name and key (computed {computed.hex()})")
    return VerifierKey(name, computed, public)


def key_line_from_bytes(data: bytes, what: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VerifyError(f"{what} is not valid UTF-8") from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) != 1:
        raise VerifyError(f"{what} holds {len(lines)} non-empty lines, expected one verifier key line")
    return lines[0]


def load_trusted_key(arg: str) -> VerifierKey:
    """`--key`: a path to a file holding the verifier key line, or the line itself."""
    if os.path.isfile(arg):
        line = key_line_from_bytes(read_file(arg), f"trusted key file {arg}")
    elif "+" in arg:
        line = arg.strip()
    else:
        raise VerifyError(f"{arg}: no such key file, and not a verifier key line")
    return parse_verifier_key(line)


# ---------------------------------------------------------------- signed notes (C2SP signed-note)


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: bytes
    signature: bytes


@dataclass(frozen=True)
class Note:
    text: str
    signatures: Tuple[NoteSignature, ...]


def parse_note(data: bytes) -> Note:
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VerifyError("note is not valid UTF-8") from None
    for c in s:
        if (ord(c) < 0x20 and c != "\n") or ord(c) == 0x7F:
            raise VerifyError(f"note contains the control character U+{ord(c):04X}")
    if not s.endswith("\n"):
        raise VerifyError("note does not end in a newline")
    split = s.rfind("\n\n")
    if split < 0:
        raise VerifyError("note has no blank line between its text and its signatures")
    text, block = s[: split + 1], s[split + 2 :]
    if not block:
        raise VerifyError("note has no signature lines")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURE_LINES:
        raise VerifyError(f"note has {len(lines)} signature lines, more than {MAX_SIGNATURE_LINES}")
    signatures = []
    for n, line in enumerate(lines, 1):
        if not line.startswith("\u2014 "):
            raise VerifyError(f"note signature line {n} does not start with an em dash and a space")
        fields = line[2:].split(" ")
        if len(fields) != 2:
            raise VerifyError(f"note signature line {n} is not '— <key name> <signature>'")
        name, b64 = fields
        check_key_name(name, f"note signature line {n} key name")
        raw = b64decode_strict(b64, f"note signature line {n} signature")
        if len(raw) < 5:
            raise VerifyError(f"note signature line {n} signature is too short ({len(raw)} bytes)")
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    return Note(text, tuple(signatures))


def verify_note(note: Note, key: VerifierKey) -> None:
    """Every signature line of `key` must verify, and there must be one.

    Lines of other keys (another name or another id) are ignored, as the
    signed-note specification requires.
    """
    if Ed25519PublicKey is None:
        raise VerifyError("the Python package 'cryptography' is not installed (pip install cryptography)")
    mine = [s for s in note.signatures if s.name == key.name and s.key_id == key.key_id]
    if not mine:
        others = ", ".join(f"{s.name}+{s.key_id.hex()}" for s in note.signatures)
        raise VerifyError(f"no valid signature by key {key.label} (the note is signed only by {others})")
    try:
        public = Ed25519PublicKey.from_public_bytes(key.public)
    except ValueError:
        raise VerifyError(f"key {key.label} is not a valid Ed25519 public key") from None
    for s in mine:
        try:
            if len(s.signature) != 64:
                raise InvalidSignature()
            public.verify(s.signature, note.text.encode("utf-8"))
        except InvalidSignature:
            raise VerifyError(f"no valid signature by key {key.label} (its signature does not verify)") from None


# ---------------------------------------------------------------- checkpoints (C2SP tlog-checkpoint, docs/audit.md)


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes


_DECIMAL = re.compile(r"0|[1-9][0-9]*")


def parse_checkpoint_text(text: str) -> Checkpoint:
    """Exactly three lines (docs/audit.md allows no extension lines)."""
    lines = text.split("\n")
    if lines[-1] != "":
        raise VerifyError("checkpoint text does not end in a newline")
    lines = lines[:-1]
    if len(lines) != 3:
        raise VerifyError(f"checkpoint text has {len(lines)} lines, expected 3 (origin, size, root hash)")
    origin, size_text, root_text = lines
    if not origin:
        raise VerifyError("checkpoint origin is empty")
    if not _DECIMAL.fullmatch(size_text):
        raise VerifyError(f"checkpoint size {size_text!r} is not a decimal number without leading zeros")
    size = int(size_text)
    if size > U64_MAX:
        raise VerifyError(f"checkpoint size {size} is too large")
    root = b64decode_strict(root_text, "checkpoint root hash")
    if len(root) != HASH_LEN:
        raise VerifyError(f"checkpoint root hash is {len(root)} bytes, expected {HASH_LEN}")
    return Checkpoint(origin, size, root)


def open_checkpoint(data: bytes, key: VerifierKey) -> Checkpoint:
    """Parses a signed checkpoint, verifies it under `key`, and checks its origin is the key's name."""
    note = parse_note(data)
    verify_note(note, key)
    checkpoint = parse_checkpoint_text(note.text)
    if checkpoint.origin != key.name:
        raise VerifyError(f"origin {checkpoint.origin!r} is not the trusted key's name {key.name!r}")
    return checkpoint


# ---------------------------------------------------------------- canonical event bytes (docs/audit.md)


@dataclass(frozen=True)
class Basis:
    kind: str
    number: str
    date: int
    issuer: str


@dataclass(frozen=True)
class Event:
    prev_hash: bytes
    position: int
    stream: str
    version: int
    event_type: str
    schema: int
    payload: str
    recorded_at: int
    effective: int
    actor_id: str
    actor_role: str
    basis: Optional[Basis]
    command_id: bytes
    correlation_id: bytes
    causation_id: Optional[bytes]


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def take(self, n: int, field: str) -> bytes:
        left = len(self.data) - self.at
        if n > left:
            raise VerifyError(f"canonical bytes end inside {field} (needs {n} bytes at offset {self.at}, {left} left)")
        out = self.data[self.at : self.at + n]
        self.at += n
        return out

    def unpack(self, fmt: str, field: str) -> int:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt), field))[0]

    def string(self, field: str) -> str:
        n = self.unpack(">Q", f"{field} length")
        raw = self.take(n, field)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise VerifyError(f"canonical bytes: {field} is not valid UTF-8") from None

    def flag(self, field: str) -> bool:
        b = self.take(1, field)[0]
        if b not in (0, 1):
            raise VerifyError(f"canonical bytes: {field} marker is 0x{b:02x}, expected 0x00 or 0x01")
        return b == 1


def parse_canonical(data: bytes) -> Event:
    r = _Reader(data)
    if r.take(len(EVENT_TAG), "tag") != EVENT_TAG:
        raise VerifyError("canonical bytes do not start with the tag metod-event-v1")
    prev_hash = r.take(32, "prev_hash")
    position = r.unpack(">Q", "position")
    stream = r.string("stream")
    version = r.unpack(">Q", "version")
    event_type = r.string("event_type")
    schema = r.unpack(">I", "schema")
    payload = r.string("payload")
    recorded_at = r.unpack(">q", "recorded_at")
    effective = r.unpack(">i", "effective")
    actor_id = r.string("actor_id")
    actor_role = r.string("actor_role")
    basis = None
    if r.flag("basis"):
        kind = r.string("basis kind")
        if kind not in BASIS_KINDS:
            raise VerifyError(f"canonical bytes: basis kind {kind!r} is neither order nor protocol")
        basis = Basis(kind, r.string("basis number"), r.unpack(">i", "basis date"), r.string("basis issuer"))
    command_id = r.take(16, "command_id")
    correlation_id = r.take(16, "correlation_id")
    causation_id = r.take(16, "causation_id") if r.flag("causation_id") else None
    left = len(data) - r.at
    if left:
        raise VerifyError(f"canonical bytes have {left} bytes left over after the last field")
    return Event(
        prev_hash, position, stream, version, event_type, schema, payload, recorded_at, effective,
        actor_id, actor_role, basis, command_id, correlation_id, causation_id,
    )


# ---------------------------------------------------------------- printing a history


def show(s: str) -> str:
    """A field as typed, or JSON-quoted when it could break the one-line-per-event layout."""
    if s and s == s.strip() and "|" not in s and '"' not in s and all(ord(c) >= 0x20 and ord(c) != 0x7F for c in s):
        return s
    return json.dumps(s, ensure_ascii=False)


def show_instant(micros: int) -> str:
    try:
        t = datetime(1970, 1, 1) + timedelta(microseconds=micros)
    except OverflowError:
        return f"{micros}us-since-1970 (out of calendar range)"
    return t.isoformat(timespec="microseconds") + "Z"


def show_day(days: int) -> str:
    # Python's proleptic Gregorian ordinal counts 0001-01-01 as day 1, as docs/audit.md does.
    try:
        return date.fromordinal(days).isoformat()
    except (ValueError, OverflowError):
        return f"day-{days} (out of calendar range)"


def history_line(event: Event, role: str, event_hash: bytes) -> str:
    if event.basis is None:
        basis = "none"
    else:
        b = event.basis
        basis = f"{b.kind} {show(b.number)} of {show_day(b.date)} by {show(b.issuer)}"
    return " | ".join([
        f"position {event.position}",
        f"recorded {show_instant(event.recorded_at)}",
        f"effective {show_day(event.effective)}",
        f"event {show(event.event_type)}",
        f"actor {show(event.actor_id)} ({show(event.actor_role)})",
        f"basis {basis}",
        f"stream {show(event.stream)} ({role})",
        f"hash {event_hash.hex()}",
    ])


# ---------------------------------------------------------------- checking a bundle (docs/audit.md "Checking a bundle")


@dataclass(frozen=True)
class CheckedEvent:
    index: int
    role: str
    event: Event
    event_hash: bytes


@dataclass(frozen=True)
class CheckedBundle:
    checkpoint: Checkpoint
    document: str
    events: Tuple[CheckedEvent, ...]


def document_stream(document: str) -> str:
    # docs/audit.md shows bundle.json's "document" as "document-<uuid>" but calls the
    # document "<uuid>"; both spellings name the same stream.
    return document if document.startswith("document-") else f"document-{document}"


def check_event(n: int, raw, tree_size: int, previous_index: Optional[int], root: bytes) -> CheckedEvent:
    where = f"event {n}"
    if not isinstance(raw, dict):
        raise VerifyError(f"{where}: is not a JSON object")
    try:
        index = json_uint(raw, "index", "")
    except VerifyError as e:
        raise VerifyError(f"{where}: {e}") from None
    where = f"event {n} (index {index})"
    if index >= tree_size:
        raise VerifyError(f"{where}: index is not less than tree_size {tree_size}")
    if previous_index is not None and index <= previous_index:
        raise VerifyError(f"{where}: events are not in increasing order of index (previous index {previous_index})")
    try:
        role = json_str(raw, "role", "")
        if role not in ROLES:
            raise VerifyError(f"role {role!r} is neither document nor basis")
        canonical = b64decode_strict(json_str(raw, "canonical", ""), "canonical")
        event = parse_canonical(canonical)
        if event.position != index + 1:
            raise VerifyError(f"canonical bytes say position {event.position}, expected {index + 1}")
        proof = json_hash_list(raw, "inclusion_proof", "")
        event_hash = sha256(canonical)
        verify_inclusion(index, tree_size, leaf_hash(event_hash), proof, root)
    except VerifyError as e:
        raise VerifyError(f"{where}: {e}") from None
    return CheckedEvent(index, role, event, event_hash)


def check_bundle(bundle_dir: str, key: VerifierKey) -> CheckedBundle:
    """The four checks of docs/audit.md, in order; raises VerifyError naming the first that fails."""
    # 1. The checkpoint parses and its signature verifies under the trusted key.
    try:
        checkpoint = open_checkpoint(read_file(os.path.join(bundle_dir, "checkpoint")), key)
    except VerifyError as e:
        raise VerifyError(f"checkpoint: {e}") from None

    # 2. bundle.json parses, its format is ours, its tree_size is the checkpoint's.
    try:
        bundle = parse_json(read_file(os.path.join(bundle_dir, "bundle.json")), "bundle.json")
        if not isinstance(bundle, dict):
            raise VerifyError("bundle.json is not a JSON object")
        fmt = json_str(bundle, "format", "bundle.json")
        if fmt != BUNDLE_FORMAT:
            raise VerifyError(f"bundle.json format is {fmt!r}, expected {BUNDLE_FORMAT!r}")
        document = json_str(bundle, "document", "bundle.json")
        if not document:
            raise VerifyError("bundle.json document is empty")
        tree_size = json_uint(bundle, "tree_size", "bundle.json")
        if tree_size != checkpoint.size:
            raise VerifyError(f"bundle.json tree_size {tree_size} is not the checkpoint's size {checkpoint.size}")
        events = bundle.get("events")
        if not isinstance(events, list):
            raise VerifyError("bundle.json events is missing or not a list")
    except VerifyError as e:
        msg = str(e)
        raise VerifyError(msg if msg.startswith("bundle.json") else f"bundle.json: {msg}") from None

    # 3. Every event: its bytes parse, its position is index + 1, its proof leads to the root.
    checked: List[CheckedEvent] = []
    for n, raw in enumerate(events, 1):
        previous = checked[-1].index if checked else None
        checked.append(check_event(n, raw, tree_size, previous, checkpoint.root))

    # 4. At least one event of the document's own stream, and every such event is of it.
    stream = document_stream(document)
    if not any(c.role == "document" for c in checked):
        raise VerifyError(f"bundle.json: no event has role document (document {document})")
    for n, c in enumerate(checked, 1):
        if c.role == "document" and c.event.stream != stream:
            raise VerifyError(
                f"event {n} (index {c.index}): role document, but its stream is {show(c.event.stream)}, not {stream}"
            )
    return CheckedBundle(checkpoint, document, tuple(checked))


def check_consistency(old_path: str, new_path: str, proof_path: str, key: VerifierKey) -> Tuple[Checkpoint, Checkpoint, int]:
    try:
        old = open_checkpoint(read_file(old_path), key)
    except VerifyError as e:
        raise VerifyError(f"old checkpoint: {e}") from None
    try:
        new = open_checkpoint(read_file(new_path), key)
    except VerifyError as e:
        raise VerifyError(f"new checkpoint: {e}") from None
    try:
        doc = parse_json(read_file(proof_path), "proof")
        if not isinstance(doc, dict):
            raise VerifyError("is not a JSON object")
        fmt = json_str(doc, "format", "")
        if fmt != CONSISTENCY_FORMAT:
            raise VerifyError(f"format is {fmt!r}, expected {CONSISTENCY_FORMAT!r}")
        old_size = json_uint(doc, "old_size", "")
        new_size = json_uint(doc, "new_size", "")
        if old_size != old.size:
            raise VerifyError(f"old_size {old_size} is not the old checkpoint's size {old.size}")
        if new_size != new.size:
            raise VerifyError(f"new_size {new_size} is not the new checkpoint's size {new.size}")
        proof = json_hash_list(doc, "proof", "")
        verify_consistency(old.size, new.size, old.root, new.root, proof)
    except VerifyError as e:
        raise VerifyError(f"{proof_path}: {e}") from None
    return old, new, len(proof)


# ---------------------------------------------------------------- command line


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: exit 2, no traceback
        self.print_usage(sys.stderr)
        print(f"usage error: {message}", file=sys.stderr)
        sys.exit(2)


def _arg_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="verify_bundle.py", description="Check metod audit bundles and consistency proofs offline.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("check", help="check an audit bundle directory")
    c.add_argument("dir")
    c.add_argument("--key", help="the trusted verifier key: a file holding the line, or the line itself")
    k = sub.add_parser("consistency", help="check that NEW_CHECKPOINT's log extends OLD_CHECKPOINT's")
    k.add_argument("old_checkpoint")
    k.add_argument("new_checkpoint")
    k.add_argument("proof_json")
    k.add_argument("--key", required=True, help="the trusted verifier key: a file holding the line, or the line itself")
    return p


def _run_check(args, out) -> None:
    if args.key is not None:
        try:
            key = load_trusted_key(args.key)
        except VerifyError as e:
            raise VerifyError(f"trusted key: {e}") from None
        print(f"key: trusting {key.label}, given with --key", file=out)
    else:
        path = os.path.join(args.dir, "verifier.key")
        try:
            key = parse_verifier_key(key_line_from_bytes(read_file(path), "verifier.key"))
        except VerifyError as e:
            raise VerifyError(f"verifier.key: {e}") from None
        print(
            f"key: no --key given, trusting {key.label} from {path}, which came with the bundle;"
            " compare it with the key you were given",
            file=out,
        )
    result = check_bundle(args.dir, key)
    for c in result.events:
        print(history_line(c.event, c.role, c.event_hash), file=out)
    cp = result.checkpoint
    print(f"ok: {len(result.events)} events of {result.document} verified against checkpoint {cp.origin} size {cp.size}", file=out)


def _run_consistency(args, out) -> None:
    try:
        key = load_trusted_key(args.key)
    except VerifyError as e:
        raise VerifyError(f"trusted key: {e}") from None
    old, new, n = check_consistency(args.old_checkpoint, args.new_checkpoint, args.proof_json, key)
    print(
        f"ok: checkpoint {new.origin} size {new.size} extends checkpoint {old.origin} size {old.size}"
        f" ({n}-hash consistency proof verified, key {key.label})",
        file=out,
    )


def main(argv=None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    args = _arg_parser().parse_args(argv)
    try:
        if args.command == "check":
            _run_check(args, sys.stdout)
        else:
            _run_consistency(args, sys.stdout)
    except VerifyError as e:
        print(f"refused: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # a bug here must still refuse, never pass, and never print a traceback
        print(f"refused: internal error in the verifier ({type(e).__name__}: {e})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
