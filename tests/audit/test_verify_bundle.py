"""Tests of verify_bundle.py, the independent Python verifier of metod's audit bundles.

Run from the repository root: python3 -m unittest discover -s tests/audit -v

Everything the verifier is checked against is made here, independently of both
the verifier and the Rust code: a naive Merkle tree with the RFC 9162 §2.1.3.1
PATH and §2.1.4.1 PROOF definitions written out recursively, the Certificate
Transparency reference vectors, and a bundle maker that writes canonical bytes,
bundle.json, a signed checkpoint and a verifier key as docs/audit.md describes.
"""

import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest
import uuid
from datetime import date, datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HERE = os.path.dirname(os.path.abspath(__file__))
VERIFIER = os.path.join(HERE, "verify_bundle.py")
sys.path.insert(0, HERE)
import verify_bundle as vb  # noqa: E402

# ---------------------------------------------------------------- reference vectors
# The 8 leaf inputs and the roots of trees of size 0..8 of the Certificate Transparency
# reference test data (RFC 6962 era; as in transparency-dev/merkle testonly/constants.go),
# and its inclusion and consistency proofs (proof/verify_test.go, testonly/reference_test.go;
# leaf indices here are 0-based).
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [
    (0, 1, []),
    (0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
    (1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]),
    (0, 8, [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]),
    (5, 8, [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]),
]
CT_CONSISTENCY = [
    (1, 1, []),
    (1, 8, [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]),
    (6, 8, [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]),
    (2, 5, [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]),
    (6, 7, [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]),
]

MAX_SIZE = 140


def h(hex_text):
    return bytes.fromhex(hex_text)


def sha(data):
    return hashlib.sha256(data).digest()


def flip(data, byte=0, bit=0):
    out = bytearray(data)
    out[byte] ^= 1 << bit
    return bytes(out)


# ---------------------------------------------------------------- the naive tree (RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1)


class NaiveTree:
    """MTH, PATH and PROOF over the first n of a fixed list of leaf inputs, straight from the definitions."""

    def __init__(self, leaf_inputs):
        self.leaves = list(leaf_inputs)
        self.memo = {}

    @staticmethod
    def split(n):
        k = 1
        while k * 2 < n:
            k *= 2
        return k  # the largest power of two smaller than n

    def mth(self, lo, hi):
        if (lo, hi) not in self.memo:
            n = hi - lo
            if n == 0:
                value = sha(b"")
            elif n == 1:
                value = sha(b"\x00" + self.leaves[lo])
            else:
                k = self.split(n)
                value = sha(b"\x01" + self.mth(lo, lo + k) + self.mth(lo + k, hi))
            self.memo[(lo, hi)] = value
        return self.memo[(lo, hi)]

    def root(self, n):
        return self.mth(0, n)

    def path(self, m, n, lo=0):
        """PATH(m, D[lo:lo+n])."""
        if n == 1:
            return []
        k = self.split(n)
        if m < k:
            return self.path(m, k, lo) + [self.mth(lo + k, lo + n)]
        return self.path(m - k, n - k, lo + k) + [self.mth(lo, lo + k)]

    def proof(self, m, n):
        return self.subproof(m, n, True, 0)

    def subproof(self, m, n, b, lo):
        """SUBPROOF(m, D[lo:lo+n], b)."""
        if m == n:
            return [] if b else [self.mth(lo, lo + n)]
        k = self.split(n)
        if m <= k:
            return self.subproof(m, k, b, lo) + [self.mth(lo + k, lo + n)]
        return self.subproof(m - k, n - k, False, lo + k) + [self.mth(lo, lo + k)]


def refused(fn, *args):
    try:
        fn(*args)
    except vb.VerifyError:
        return True
    return False


class TreeReferenceVectors(unittest.TestCase):
    def test_naive_tree_reproduces_the_reference_roots(self):
        tree = NaiveTree(CT_LEAVES)
        for n in range(0, 9):
            self.assertEqual(tree.root(n).hex(), CT_ROOTS[n], f"size {n}")
        self.assertEqual(vb.EMPTY_ROOT.hex(), CT_ROOTS[0])

    def test_reference_inclusion_proofs_verify_and_match_the_generator(self):
        tree = NaiveTree(CT_LEAVES)
        for index, size, proof_hex in CT_INCLUSION:
            proof = [h(p) for p in proof_hex]
            self.assertEqual(tree.path(index, size), proof, f"PATH({index}, D[{size}])")
            leaf = vb.leaf_hash(CT_LEAVES[index])
            vb.verify_inclusion(index, size, leaf, proof, h(CT_ROOTS[size]))
            self.assertTrue(refused(vb.verify_inclusion, index, size, leaf, proof, h(CT_ROOTS[size - 1])))

    def test_reference_consistency_proofs_verify_and_match_the_generator(self):
        tree = NaiveTree(CT_LEAVES)
        for old, new, proof_hex in CT_CONSISTENCY:
            proof = [h(p) for p in proof_hex]
            self.assertEqual(tree.proof(old, new), proof, f"PROOF({old}, D[{new}])")
            vb.verify_consistency(old, new, h(CT_ROOTS[old]), h(CT_ROOTS[new]), proof)
            if proof:
                self.assertTrue(refused(vb.verify_consistency, old, new, h(CT_ROOTS[new]), h(CT_ROOTS[old]), proof))


class TreeEverySize(unittest.TestCase):
    """Every index of every tree of 1..140 leaves, and every pair of sizes, against the naive tree."""

    @classmethod
    def setUpClass(cls):
        cls.tree = NaiveTree([f"leaf {i}".encode() for i in range(MAX_SIZE)])

    def test_inclusion_every_index_of_every_size(self):
        tree = self.tree
        for n in range(1, MAX_SIZE + 1):
            root = tree.root(n)
            for m in range(n):
                leaf = tree.mth(m, m + 1)
                proof = tree.path(m, n)
                self.assertEqual(vb.inclusion_path_length(m, n), len(proof))
                self.assertEqual(vb.root_from_inclusion_proof(m, n, leaf, proof), root, f"leaf {m} of {n}")
                for i in range(len(proof)):
                    bad = proof[:i] + [flip(proof[i], i % 32, i % 8)] + proof[i + 1:]
                    self.assertTrue(refused(vb.verify_inclusion, m, n, leaf, bad, root), f"flipped {i}, leaf {m} of {n}")
                self.assertTrue(refused(vb.verify_inclusion, m, n, flip(leaf), proof, root))
                self.assertTrue(refused(vb.verify_inclusion, m, n, leaf, proof + [root], root))
                if proof:
                    self.assertTrue(refused(vb.verify_inclusion, m, n, leaf, proof[:-1], root))
                    # A proof carries no size: another size is refused where its path has another length.
                    for n2 in (n + 1, 2 * n):
                        if n2 <= MAX_SIZE and len(tree.path(m, n2)) != len(proof):
                            self.assertTrue(refused(vb.verify_inclusion, m, n2, leaf, proof, root), f"{m} of {n} as of {n2}")
                    other = m ^ 1 if (m ^ 1) < n else m - 1
                    self.assertTrue(refused(vb.verify_inclusion, other, n, leaf, proof, root))
            self.assertTrue(refused(vb.verify_inclusion, n, n, tree.mth(0, 1), [], root))

    def test_consistency_every_pair_of_sizes(self):
        tree = self.tree
        for n in range(1, MAX_SIZE + 1):
            new_root = tree.root(n)
            vb.verify_consistency(0, n, vb.EMPTY_ROOT, new_root, [])
            for m in range(1, n + 1):
                old_root = tree.root(m)
                proof = tree.proof(m, n)
                vb.verify_consistency(m, n, old_root, new_root, proof)
                if m == n:
                    self.assertEqual(proof, [])
                    self.assertTrue(refused(vb.verify_consistency, m, n, old_root, new_root, [old_root]))
                    continue
                for i in range(len(proof)):
                    bad = proof[:i] + [flip(proof[i], i % 32, (i + 3) % 8)] + proof[i + 1:]
                    self.assertTrue(refused(vb.verify_consistency, m, n, old_root, new_root, bad), f"flipped {i}, {m}->{n}")
                self.assertTrue(refused(vb.verify_consistency, m, n, old_root, new_root, proof[:-1]))
                self.assertTrue(refused(vb.verify_consistency, m, n, old_root, new_root, proof + [new_root]))
                self.assertTrue(refused(vb.verify_consistency, m, n, flip(old_root), new_root, proof))
                self.assertTrue(refused(vb.verify_consistency, m, n, old_root, flip(new_root), proof))
                self.assertTrue(refused(vb.verify_consistency, n, m, new_root, old_root, proof))

    def test_bad_arguments_are_refused_not_crashed(self):
        tree = self.tree
        leaf, root = tree.mth(0, 1), tree.root(4)
        proof = tree.path(0, 4)
        for args in [
            (-1, 4, leaf, proof, root),
            (0, -4, leaf, proof, root),
            (4, 4, leaf, proof, root),
            (0, 0, leaf, [], vb.EMPTY_ROOT),
            (0, 4, leaf, [proof[0][:31], proof[1]], root),
            (0, 4, leaf[:31], proof, root),
        ]:
            self.assertTrue(refused(vb.verify_inclusion, *args), args)
        self.assertTrue(refused(vb.verify_consistency, 0, 4, tree.root(1), root, []))
        self.assertTrue(refused(vb.verify_consistency, 0, 4, vb.EMPTY_ROOT, root, [root]))
        self.assertTrue(refused(vb.verify_consistency, 2, 4, tree.root(2), root, []))
        self.assertTrue(refused(vb.verify_consistency, -1, 4, tree.root(2), root, []))


# ---------------------------------------------------------------- the bundle maker (docs/audit.md)

ORIGIN = "metod/novokuznetsk"
KEY_TYPE = b"\x01"  # Ed25519 in C2SP signed-note
EPOCH_DAY = 719163  # 1970-01-01, counting 0001-01-01 as day 1


def enc_str(s):
    b = s.encode("utf-8")
    return struct.pack(">Q", len(b)) + b


def enc_day(d):
    return struct.pack(">i", (d - date(1970, 1, 1)).days + EPOCH_DAY)


def canonical_bytes(ev, prev_hash):
    out = b"metod-event-v1" + prev_hash + struct.pack(">Q", ev["position"])
    out += enc_str(ev["stream"]) + struct.pack(">Q", ev["version"]) + enc_str(ev["type"])
    out += struct.pack(">I", ev["schema"]) + enc_str(ev["payload"])
    out += struct.pack(">q", ev["recorded_us"]) + enc_day(ev["effective"])
    out += enc_str(ev["actor_id"]) + enc_str(ev["actor_role"])
    basis = ev.get("basis")
    if basis is None:
        out += b"\x00"
    else:
        kind, number, day, issuer = basis
        out += b"\x01" + enc_str(kind) + enc_str(number) + enc_day(day) + enc_str(issuer)
    out += ev["command_id"].bytes + ev["correlation_id"].bytes
    cause = ev.get("causation_id")
    out += b"\x00" if cause is None else b"\x01" + cause.bytes
    return out


def b64(data):
    return base64.b64encode(data).decode("ascii")


class Signer:
    def __init__(self, name=ORIGIN):
        self.name = name
        self.private = Ed25519PrivateKey.generate()
        self.public = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = sha(name.encode() + b"\n" + b"\x01" + self.public)[:4]

    @property
    def verifier_key(self):
        return f"{self.name}+{self.key_id.hex()}+{b64(KEY_TYPE + self.public)}"

    def sign_line(self, text):
        return f"\u2014 {self.name} {b64(self.key_id + self.private.sign(text.encode('utf-8')))}\n"

    def note(self, text):
        return (text + "\n" + self.sign_line(text)).encode("utf-8")

    def checkpoint(self, size, root, origin=None):
        return self.note(f"{origin or self.name}\n{size}\n{b64(root)}\n")


def micros(*args):
    t = datetime(*args, tzinfo=timezone.utc)
    return int(t.timestamp()) * 1_000_000 + t.microsecond


class LogMaker:
    """A log of `size` events: a document's stream, the order it cites, and unrelated filler."""

    def __init__(self, size=45):
        self.doc = uuid.UUID("7c1e0a5e-1111-4222-8333-444455556666")
        self.stream = f"document-{self.doc}"
        self.order_stream = f"order-{uuid.UUID('0a0b0c0d-1111-4222-8333-444455556666')}"
        corr = uuid.UUID("c0c0c0c0-1111-4222-8333-444455556666")
        cmd = uuid.UUID("d0d0d0d0-1111-4222-8333-444455556666")
        order_basis = ("order", "№ 12-о", date(2024, 8, 30), "Управление образования г. Новокузнецка")
        self.specials = {
            3: ("basis", dict(stream=self.order_stream, version=1, type="OrderIssued",
                              payload='{"title":"Об утверждении плана"}', actor_id="official-1", actor_role="head_of_department",
                              effective=date(2024, 8, 30))),
            10: ("document", dict(stream=self.stream, version=1, type="DocumentDrafted",
                                  payload='{"title":"План работы ММО учителей математики на 2024/25 уч. год"}',
                                  actor_id="teacher-42", actor_role="head", effective=date(2024, 9, 2))),
            11: ("document", dict(stream=self.stream, version=2, type="DocumentSubmitted", payload="{}",
                                  actor_id="teacher-42", actor_role="head", effective=date(2024, 9, 3),
                                  causation_id=uuid.UUID("e0e0e0e0-1111-4222-8333-444455556666"))),
            20: ("document", dict(stream=self.stream, version=3, type="DocumentApproved",
                                  payload='{"note":"Утверждено"}', actor_id="methodist-7", actor_role="curator",
                                  effective=date(2024, 9, 10), basis=order_basis,
                                  causation_id=uuid.UUID("f0f0f0f0-1111-4222-8333-444455556666"))),
            33: ("document", dict(stream=self.stream, version=4, type="DocumentRevised",
                                  payload='{"sealed":{"person":"p-1","field":"phone","nonce":"AAAA","ciphertext":"BBBB"}}',
                                  actor_id="teacher-42", actor_role="head", effective=date(2024, 10, 1))),
        }
        self.canonical = []
        prev = bytes(32)
        for i in range(size):
            fields = dict(stream=f"association-{i % 5}", version=i // 5 + 1, type="MemberAdmitted",
                          payload=json.dumps({"member": i}), actor_id="secretary-1", actor_role="secretary",
                          effective=date(2024, 9, 1))
            if i in self.specials:
                fields = dict(self.specials[i][1])
            ev = dict(position=i + 1, schema=1, recorded_us=micros(2024, 9, 1, 8, 30, 0, 123456) + i * 60_000_000,
                      command_id=cmd, correlation_id=corr, **fields)
            data = canonical_bytes(ev, prev)
            self.canonical.append(data)
            prev = sha(data)
        self.tree = NaiveTree([sha(c) for c in self.canonical])

    @property
    def size(self):
        return len(self.canonical)

    def bundle(self, signer, size=None):
        """The three files of a bundle for the document, at tree size `size`."""
        size = self.size if size is None else size
        events = [
            {"index": i, "role": role, "canonical": b64(self.canonical[i]),
             "inclusion_proof": [p.hex() for p in self.tree.path(i, size)]}
            for i, (role, _) in sorted(self.specials.items()) if i < size
        ]
        bundle = {"format": "metod-audit-bundle-v1", "document": self.stream, "tree_size": size, "events": events}
        return {
            "checkpoint": signer.checkpoint(size, self.tree.root(size)),
            "bundle.json": bundle,
            "verifier.key": signer.verifier_key + "\n",
        }


def write_bundle(directory, files):
    for name, content in files.items():
        if isinstance(content, dict):
            content = json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")
        elif isinstance(content, str):
            content = content.encode("utf-8")
        with open(os.path.join(directory, name), "wb") as f:
            f.write(content)


def run(*args):
    proc = subprocess.run([sys.executable, VERIFIER, *args], capture_output=True)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


class CliCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.addCleanup(self.tmp.cleanup)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, content):
        write_bundle(self.dir, {name: content})
        return self.path(name)

    def assertAccepted(self, result):
        code, out, err = result
        self.assertEqual((code, err), (0, ""), out)
        self.assertTrue(out.splitlines()[-1].startswith("ok: "), out)
        return out.splitlines()

    def assertRefused(self, result, reason):
        code, out, err = result
        self.assertNotIn("Traceback", err)
        self.assertEqual(code, 1, f"stdout: {out}\nstderr: {err}")
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertTrue(err.startswith("refused: "), err)
        self.assertIn(reason, err)
        self.assertNotIn("ok:", out)
        return err.strip()


class Bundles(CliCase):
    @classmethod
    def setUpClass(cls):
        cls.log = LogMaker()
        cls.signer = Signer()

    def files(self):
        return self.log.bundle(self.signer)

    def check(self, files, *extra):
        write_bundle(self.dir, files)
        return run("check", self.dir, *extra)

    def check_with_key(self, files):
        return self.check(files, "--key", self.signer.verifier_key)

    # ---- accepted

    def test_a_good_bundle_is_accepted_and_its_history_printed(self):
        lines = self.assertAccepted(self.check_with_key(self.files()))
        self.assertEqual(lines[0], f"key: trusting {ORIGIN}+{self.signer.key_id.hex()}, given with --key")
        self.assertEqual(
            lines[-1], f"ok: 5 events of {self.log.stream} verified against checkpoint {ORIGIN} size {self.log.size}"
        )
        history = lines[1:-1]
        self.assertEqual(len(history), 5)
        for line, index in zip(history, [3, 10, 11, 20, 33]):
            self.assertTrue(line.startswith(f"position {index + 1} | "), line)
            self.assertTrue(line.endswith(f"hash {sha(self.log.canonical[index]).hex()}"), line)
        self.assertIn("recorded 2024-09-01T08:33:00.123456Z | effective 2024-08-30 | event OrderIssued", history[0])
        self.assertIn(f"stream {self.log.order_stream} (basis)", history[0])
        self.assertIn("actor teacher-42 (head) | basis none", history[1])
        self.assertIn(
            "event DocumentApproved | actor methodist-7 (curator) | basis order № 12-о of 2024-08-30"
            " by Управление образования г. Новокузнецка", history[3]
        )
        self.assertIn(f"stream {self.log.stream} (document)", history[3])

    def test_the_key_may_be_given_as_a_file_or_taken_from_the_bundle(self):
        key_file = os.path.join(self.dir, "given.key")
        files = self.files()
        write_bundle(self.dir, files)
        with open(key_file, "w") as f:
            f.write(self.signer.verifier_key + "\n")
        self.assertAccepted(run("check", self.dir, "--key", key_file))
        lines = self.assertAccepted(run("check", self.dir))
        self.assertIn("no --key given, trusting", lines[0])
        self.assertIn("verifier.key", lines[0])

    def test_the_last_leaf_of_a_log(self):
        log = LogMaker(size=11)
        files = log.bundle(self.signer, size=11)
        files["bundle.json"]["events"] = [e for e in files["bundle.json"]["events"] if e["index"] == 10]
        self.assertAccepted(self.check_with_key(files))

    def test_a_bare_document_uuid_names_the_same_stream(self):
        files = self.files()
        files["bundle.json"]["document"] = str(self.log.doc)
        self.assertAccepted(self.check_with_key(files))

    # ---- the bad bundles of the issue

    def test_a_flipped_bit_in_an_events_payload(self):
        files = self.files()
        ev = files["bundle.json"]["events"][1]
        raw = base64.b64decode(ev["canonical"])
        ev["canonical"] = b64(flip(raw, raw.index(b'"title"') + 2))
        self.assertRefused(self.check_with_key(files),
                           "refused: event 2 (index 10): inclusion proof does not lead to the checkpoint root")

    def test_a_flipped_bit_in_a_length_field(self):
        files = self.files()
        ev = files["bundle.json"]["events"][2]
        raw = base64.b64decode(ev["canonical"])
        ev["canonical"] = b64(flip(raw, 14 + 32 + 8, 6))  # the high byte of the stream's length
        self.assertRefused(self.check_with_key(files), "refused: event 3 (index 11): canonical bytes end inside stream")

    def test_a_flipped_bit_in_a_proof_node(self):
        files = self.files()
        ev = files["bundle.json"]["events"][3]
        node = bytes.fromhex(ev["inclusion_proof"][2])
        ev["inclusion_proof"][2] = flip(node, 5, 1).hex()
        self.assertRefused(self.check_with_key(files),
                           "refused: event 4 (index 20): inclusion proof does not lead to the checkpoint root")

    def test_a_flipped_bit_in_the_signature(self):
        files = self.files()
        note = files["checkpoint"].decode()
        text, line = note.rsplit("\n\n", 1)
        dash, name, sig = line.rstrip("\n").split(" ")
        files["checkpoint"] = f"{text}\n\n{dash} {name} {b64(flip(base64.b64decode(sig), 20))}\n"
        self.assertRefused(self.check_with_key(files),
                           f"refused: checkpoint: no valid signature by key {self.signer.name}+{self.signer.key_id.hex()}"
                           " (its signature does not verify)")

    def test_a_checkpoint_signed_by_another_key(self):
        other = Signer()
        files = self.log.bundle(other)
        err = self.assertRefused(self.check_with_key(files),
                                 f"refused: checkpoint: no valid signature by key {ORIGIN}+{self.signer.key_id.hex()}")
        self.assertIn(f"signed only by {ORIGIN}+{other.key_id.hex()}", err)
        # The bundle's own verifier.key is the other key: trusting it (no --key) accepts the bundle,
        # which is why the output says whose key it trusted.
        lines = self.assertAccepted(run("check", self.dir))
        self.assertIn(other.key_id.hex(), lines[0])

    def test_a_second_signature_by_another_key_is_ignored(self):
        files = self.files()
        other = Signer("witness.example/w1")
        text = files["checkpoint"].decode().split("\n\n")[0] + "\n"
        files["checkpoint"] = files["checkpoint"] + other.sign_line(text).encode()
        self.assertAccepted(self.check_with_key(files))

    def test_a_truncated_proof(self):
        files = self.files()
        ev = files["bundle.json"]["events"][4]
        ev["inclusion_proof"] = ev["inclusion_proof"][:-1]
        self.assertEqual(len(self.log.tree.path(33, 45)), 5)
        self.assertRefused(self.check_with_key(files),
                           "refused: event 5 (index 33): inclusion proof has 4 hashes, expected 5 (too short)")

    def test_a_proof_too_long(self):
        files = self.files()
        ev = files["bundle.json"]["events"][4]
        ev["inclusion_proof"].append("00" * 32)
        self.assertRefused(self.check_with_key(files), "event 5 (index 33): inclusion proof has 6 hashes, expected 5 (too long)")

    def test_an_event_moved_to_another_index(self):
        files = self.files()
        files["bundle.json"]["events"][2]["index"] = 12
        self.assertRefused(self.check_with_key(files),
                           "refused: event 3 (index 12): canonical bytes say position 12, expected 13")

    def test_an_event_moved_with_its_position_still_fails_the_proof(self):
        # Swap the canonical bytes of two events, leaving indices and proofs in place.
        files = self.files()
        a, b = files["bundle.json"]["events"][1], files["bundle.json"]["events"][3]
        a["canonical"], b["canonical"] = b["canonical"], a["canonical"]
        self.assertRefused(self.check_with_key(files), "event 2 (index 10): canonical bytes say position 21, expected 11")

    def test_tree_size_differing_from_the_checkpoint(self):
        files = self.files()
        files["bundle.json"]["tree_size"] = self.log.size - 1
        self.assertRefused(self.check_with_key(files),
                           f"refused: bundle.json tree_size {self.log.size - 1} is not the checkpoint's size {self.log.size}")

    def test_a_note_edited_after_signing(self):
        files = self.files()
        note = files["checkpoint"].decode()
        files["checkpoint"] = note.replace(f"\n{self.log.size}\n", f"\n{self.log.size + 1}\n", 1)
        self.assertRefused(self.check_with_key(files), "refused: checkpoint: no valid signature by key")
        files["checkpoint"] = note.replace(ORIGIN + "\n", ORIGIN + "\nextension line\n", 1)
        self.assertRefused(self.check_with_key(files), "(its signature does not verify)")

    def test_an_event_of_another_stream_claimed_as_the_documents(self):
        files = self.files()
        files["bundle.json"]["events"][0]["role"] = "document"
        self.assertRefused(self.check_with_key(files),
                           f"refused: event 1 (index 3): role document, but its stream is {self.log.order_stream},"
                           f" not {self.log.stream}")

    def test_a_bundle_of_another_document(self):
        files = self.files()
        files["bundle.json"]["document"] = "document-00000000-0000-4000-8000-000000000000"
        self.assertRefused(self.check_with_key(files), "event 2 (index 10): role document, but its stream is")

    def test_no_event_of_the_document(self):
        files = self.files()
        files["bundle.json"]["events"] = files["bundle.json"]["events"][:1]
        self.assertRefused(self.check_with_key(files), "refused: bundle.json: no event has role document")
        files["bundle.json"]["events"] = []
        self.assertRefused(self.check_with_key(files), "no event has role document")

    # ---- malformed input, each with its reason

    def test_malformed_events(self):
        def mutate(event_no, **changes):
            files = self.files()
            ev = files["bundle.json"]["events"][event_no]
            for k, v in changes.items():
                if v is None:
                    del ev[k]
                else:
                    ev[k] = v(ev[k]) if callable(v) else v
            return self.check_with_key(files)

        raw = base64.b64decode(self.files()["bundle.json"]["events"][1]["canonical"])
        cases = [
            (mutate(1, canonical="not base64!"), "event 2 (index 10): canonical is not valid base64"),
            (mutate(1, canonical=lambda c: c[:-1]), "event 2 (index 10): canonical is not valid base64"),
            (mutate(1, canonical=b64(raw[:-1])), "event 2 (index 10): canonical bytes end inside causation_id"),
            (mutate(1, canonical=b64(raw[:-7])), "event 2 (index 10): canonical bytes end inside correlation_id"),
            (mutate(1, canonical=b64(raw + b"\x00")), "event 2 (index 10): canonical bytes have 1 bytes left over"),
            (mutate(1, canonical=b64(b"metod-event-v2" + raw[14:])), "canonical bytes do not start with the tag"),
            (mutate(1, canonical=b64(raw[:10])), "event 2 (index 10): canonical bytes end inside tag"),
            (mutate(1, canonical=""), "canonical bytes end inside tag"),
            (mutate(1, canonical=123), "event 2 (index 10): canonical is not a string"),
            (mutate(1, canonical=None), "event 2 (index 10): canonical is missing"),
            (mutate(1, inclusion_proof=lambda p: ["zz" * 32] + p[1:]),
             "event 2 (index 10): inclusion_proof hash 0 is not the hex of a 32-byte hash"),
            (mutate(1, inclusion_proof=lambda p: [p[0][:62]] + p[1:]), "inclusion_proof hash 0 is not the hex"),
            (mutate(1, inclusion_proof=lambda p: [p[0] + "00"] + p[1:]), "inclusion_proof hash 0 is not the hex"),
            (mutate(1, inclusion_proof=lambda p: [" " + p[0][1:]] + p[1:]), "inclusion_proof hash 0 is not the hex"),
            (mutate(1, inclusion_proof="00"), "event 2 (index 10): inclusion_proof is not a list"),
            (mutate(1, inclusion_proof=lambda p: [7] + p[1:]), "inclusion_proof hash 0 is not a string"),
            (mutate(1, index=self.log.size + 5), "event 2 (index 50): index is not less than tree_size 45"),
            (mutate(1, index=-1), "refused: event 2: index is negative (-1)"),
            (mutate(1, index=True), "refused: event 2: index is not an integer"),
            (mutate(1, index=10.0), "refused: event 2: index is not an integer"),
            (mutate(1, index="10"), "refused: event 2: index is not an integer"),
            (mutate(1, index=2**64), "refused: event 2: index is too large"),
            (mutate(1, index=None), "refused: event 2: index is missing"),
            (mutate(1, index=3), "event 2 (index 3): events are not in increasing order of index (previous index 3)"),
            (mutate(1, role="witness"), "event 2 (index 10): role 'witness' is neither document nor basis"),
            (mutate(1, role=None), "event 2 (index 10): role is missing"),
        ]
        for result, reason in cases:
            with self.subTest(reason=reason):
                self.assertRefused(result, reason)

    def test_malformed_canonical_fields(self):
        files = self.files()
        ev = files["bundle.json"]["events"][1]
        raw = base64.b64decode(ev["canonical"])
        # Non-UTF-8 bytes inside the stream name (same length, so only the text is wrong).
        at = raw.index(self.log.stream.encode())
        bad = raw[:at] + b"\xff" + raw[at + 1:]
        ev["canonical"] = b64(bad)
        self.assertRefused(self.check_with_key(files), "event 2 (index 10): canonical bytes: stream is not valid UTF-8")
        # An unknown basis marker.
        files = self.files()
        ev = files["bundle.json"]["events"][1]
        raw = base64.b64decode(ev["canonical"])
        marker_at = len(raw) - 16 - 16 - 1 - 1  # basis none, then two uuids, then causation none
        self.assertEqual(raw[marker_at], 0)
        ev["canonical"] = b64(raw[:marker_at] + b"\x02" + raw[marker_at + 1:])
        self.assertRefused(self.check_with_key(files), "canonical bytes: basis marker is 0x02, expected 0x00 or 0x01")

    def test_an_unknown_basis_kind(self):
        files = self.files()
        ev = files["bundle.json"]["events"][3]
        raw = base64.b64decode(ev["canonical"])
        ev["canonical"] = b64(raw.replace(enc_str("order"), enc_str("decree"), 1))
        self.assertRefused(self.check_with_key(files), "event 4 (index 20): canonical bytes: basis kind 'decree'")

    def test_malformed_bundle_json(self):
        good = self.files()
        cases = [
            (b"\xff\xfe{}", "refused: bundle.json is not valid UTF-8"),
            (b"{", "refused: bundle.json is not valid JSON"),
            (b"[]", "refused: bundle.json is not a JSON object"),
            (b'{"format": "metod-audit-bundle-v1", "format": "x"}', "refused: bundle.json: JSON key 'format' appears twice"),
            (json.dumps(dict(good["bundle.json"], tree_size="NaN")).replace('"NaN"', "NaN").encode(),
             "JSON constant NaN is not allowed"),
            (json.dumps(dict(good["bundle.json"], format="metod-audit-bundle-v2")).encode(),
             "refused: bundle.json format is 'metod-audit-bundle-v2', expected 'metod-audit-bundle-v1'"),
            (json.dumps(dict(good["bundle.json"], tree_size=-45)).encode(), "refused: bundle.json tree_size is negative (-45)"),
            (json.dumps(dict(good["bundle.json"], tree_size=45.0)).encode(), "refused: bundle.json tree_size is not an integer"),
            (json.dumps(dict(good["bundle.json"], events={})).encode(), "refused: bundle.json events is missing or not a list"),
            (json.dumps(dict(good["bundle.json"], document="")).encode(), "refused: bundle.json document is empty"),
            (json.dumps(dict(good["bundle.json"], events=[[1]])).encode(), "refused: event 1: is not a JSON object"),
            (b"[" * 100000, "refused: bundle.json is nested too deeply"),
            (b'{"tree_size": ' + b"9" * 5000 + b"}", "refused: bundle.json is not acceptable JSON"),
        ]
        for content, reason in cases:
            with self.subTest(reason=reason):
                files = dict(good, **{"bundle.json": content})
                self.assertRefused(self.check_with_key(files), reason)

    def test_malformed_checkpoints(self):
        s = self.signer
        root = self.log.tree.root(self.log.size)
        size = self.log.size
        text = f"{ORIGIN}\n{size}\n{b64(root)}\n"
        note = s.note(text).decode()
        cases = [
            (b"\xff" + note.encode(), "refused: checkpoint: note is not valid UTF-8"),
            (note.rstrip("\n"), "refused: checkpoint: note does not end in a newline"),
            (note.replace("\n\n", "\n"), "refused: checkpoint: note has no blank line between its text and its signatures"),
            (text + "\n", "refused: checkpoint: note has no signature lines"),
            (note.replace("\u2014", "-"), "refused: checkpoint: note signature line 1 does not start with an em dash"),
            (note.replace(f"\u2014 {ORIGIN} ", f"\u2014 {ORIGIN}  "), "note signature line 1 is not"),
            (note[:-5] + "!!!=\n", "refused: checkpoint: note signature line 1 signature is not valid base64"),
            (note.replace(ORIGIN, ORIGIN + "\t", 1), "refused: checkpoint: note contains the control character U+0009"),
            (text + "\n\u2014 " + ORIGIN + " AAAA\n", "note signature line 1 signature is too short"),
            (s.note(f"{ORIGIN}\n{size}\n{b64(root)}\nextension\n"), "refused: checkpoint: checkpoint text has 4 lines, expected 3"),
            (s.note(f"{ORIGIN}\n0{size}\n{b64(root)}\n"), "checkpoint size '045' is not a decimal number without leading zeros"),
            (s.note(f"{ORIGIN}\n-{size}\n{b64(root)}\n"), "checkpoint size '-45' is not a decimal number"),
            (s.note(f"{ORIGIN}\n{size}\n{b64(root[:31])}\n"), "checkpoint root hash is 31 bytes, expected 32"),
            (s.note(f"{ORIGIN}\n{size}\n{root.hex()}\n"), "checkpoint root hash is 48 bytes, expected 32"),
            (s.note(f"metod/other\n{size}\n{b64(root)}\n"), "refused: checkpoint: origin 'metod/other' is not the trusted key's name"),
            (s.note(f"{ORIGIN}\n{size + 1}\n{b64(root)}\n"), "refused: bundle.json tree_size 45 is not the checkpoint's size 46"),
            (s.note(f"{ORIGIN}\n{size}\n{b64(flip(root))}\n"),
             "refused: event 1 (index 3): inclusion proof does not lead to the checkpoint root"),
        ]
        for content, reason in cases:
            with self.subTest(reason=reason):
                files = dict(self.files(), checkpoint=content)
                self.assertRefused(self.check_with_key(files), reason)

    def test_missing_files(self):
        files = self.files()
        write_bundle(self.dir, files)
        os.remove(self.path("bundle.json"))
        self.assertRefused(run("check", self.dir, "--key", self.signer.verifier_key), "refused: bundle.json: cannot read")
        os.remove(self.path("checkpoint"))
        self.assertRefused(run("check", self.dir, "--key", self.signer.verifier_key), "refused: checkpoint: cannot read")
        os.remove(self.path("verifier.key"))
        self.assertRefused(run("check", self.dir), "refused: verifier.key: cannot read")
        self.assertRefused(run("check", os.path.join(self.dir, "nowhere"), "--key", self.signer.verifier_key),
                           "refused: checkpoint: cannot read")

    def test_malformed_keys(self):
        write_bundle(self.dir, self.files())
        s = self.signer
        other = Signer()
        cases = [
            ("no-such-file", "refused: trusted key: no-such-file: no such key file, and not a verifier key line"),
            (f"{ORIGIN}+{s.key_id.hex()}", "refused: trusted key: verifier key is not <name>+<key id>+<base64 key>"),
            (f"{ORIGIN}+ABCDEF01+{b64(KEY_TYPE + s.public)}", "verifier key id 'ABCDEF01' is not 8 lowercase hex digits"),
            (f"{ORIGIN}+{other.key_id.hex()}+{b64(KEY_TYPE + s.public)}", "does not match its name and key"),
            (f"{ORIGIN}+{s.key_id.hex()}+{b64(bytes([2]) + s.public)}", "verifier key type is 0x02, expected 0x01"),
            (f"{ORIGIN}+{s.key_id.hex()}+{b64(s.public)}", "verifier key is 32 bytes, expected 33"),
            (f"{ORIGIN}+{s.key_id.hex()}+{b64(KEY_TYPE + s.public)[:-1]}", "verifier key is not valid base64"),
            (f"+{s.key_id.hex()}+{b64(KEY_TYPE + s.public)}", "verifier key name is empty"),
        ]
        for key, reason in cases:
            with self.subTest(reason=reason):
                self.assertRefused(run("check", self.dir, "--key", key), reason)
        self.write("verifier.key", "garbage\x00\n")
        self.assertRefused(run("check", self.dir), "refused: verifier.key: verifier key is not")
        self.write("verifier.key", b"\xff\n")
        self.assertRefused(run("check", self.dir), "refused: verifier.key: verifier.key is not valid UTF-8")
        self.write("verifier.key", s.verifier_key + "\n" + other.verifier_key + "\n")
        self.assertRefused(run("check", self.dir), "verifier.key holds 2 non-empty lines")

    def test_usage_errors_exit_2(self):
        for args in [(), ("check",), ("frobnicate", self.dir), ("consistency", "a", "b", "c"), ("check", self.dir, "--bogus")]:
            with self.subTest(args=args):
                code, out, err = run(*args)
                self.assertEqual(code, 2, err)
                self.assertNotIn("Traceback", err)


class Consistency(CliCase):
    @classmethod
    def setUpClass(cls):
        cls.log = LogMaker(size=60)
        cls.signer = Signer()

    def proof_file(self, old, new, nodes=None, **overrides):
        doc = {"format": "metod-consistency-v1", "old_size": old, "new_size": new,
               "proof": [p.hex() for p in (self.log.tree.proof(old, new) if nodes is None else nodes)]}
        doc.update(overrides)
        return self.write("proof.json", doc)

    def checkpoints(self, old, new, signer=None, old_root=None):
        signer = signer or self.signer
        a = self.write("old", signer.checkpoint(old, old_root or self.log.tree.root(old)))
        b = self.write("new", signer.checkpoint(new, self.log.tree.root(new)))
        return a, b

    def verify(self, old, new, proof_path, key=None):
        return run("consistency", old, new, proof_path, "--key", key or self.signer.verifier_key)

    def test_a_log_that_only_grew_is_accepted(self):
        for old, new in [(13, 60), (1, 60), (32, 60), (59, 60), (60, 60)]:
            with self.subTest(old=old, new=new):
                a, b = self.checkpoints(old, new)
                lines = self.assertAccepted(self.verify(a, b, self.proof_file(old, new)))
                self.assertEqual(lines[-1].split(" (")[0], f"ok: checkpoint {ORIGIN} size {new} extends checkpoint {ORIGIN} size {old}")

    def test_a_rewritten_history_is_refused(self):
        rewritten = NaiveTree([sha(c) for c in self.log.canonical[:5]] + [sha(b"rewritten")] + [sha(c) for c in self.log.canonical[6:]])
        a, b = self.checkpoints(13, 60, old_root=rewritten.root(13))
        self.assertRefused(self.verify(a, b, self.proof_file(13, 60)),
                           "proof.json: consistency proof does not reproduce the old root")

    def test_a_flipped_proof_node_is_refused(self):
        a, b = self.checkpoints(13, 60)
        proof = self.log.tree.proof(13, 60)
        proof[1] = flip(proof[1], 3)
        self.assertRefused(self.verify(a, b, self.proof_file(13, 60, proof)), "proof.json: consistency proof does not reproduce the")

    def test_a_truncated_or_extended_proof_is_refused(self):
        a, b = self.checkpoints(13, 60)
        proof = self.log.tree.proof(13, 60)
        self.assertRefused(self.verify(a, b, self.proof_file(13, 60, proof[:-1])), "consistency proof is too short")
        self.assertRefused(self.verify(a, b, self.proof_file(13, 60, proof + proof[:1])), "consistency proof is too long")

    def test_sizes_must_be_the_checkpoints(self):
        a, b = self.checkpoints(13, 60)
        self.assertRefused(self.verify(a, b, self.proof_file(12, 60)), "old_size 12 is not the old checkpoint's size 13")
        self.assertRefused(self.verify(a, b, self.proof_file(13, 59)), "new_size 59 is not the new checkpoint's size 60")
        self.assertRefused(self.verify(b, a, self.proof_file(13, 60)), "old_size 13 is not the old checkpoint's size 60")
        a, b = self.checkpoints(60, 13)
        self.assertRefused(self.verify(a, b, self.proof_file(60, 13, nodes=[])), "old size 60 is greater than new size 13")

    def test_checkpoints_must_be_signed_by_the_trusted_key(self):
        other = Signer()
        a, _ = self.checkpoints(13, 60)
        b = self.write("new", other.checkpoint(60, self.log.tree.root(60)))
        self.assertRefused(self.verify(a, b, self.proof_file(13, 60)), "refused: new checkpoint: no valid signature by key")
        self.assertRefused(self.verify(a, b, self.proof_file(13, 60), key=other.verifier_key),
                           "refused: old checkpoint: no valid signature by key")

    def test_malformed_proof_files(self):
        a, b = self.checkpoints(13, 60)
        for overrides, reason in [
            (dict(format="metod-consistency-v0"), "format is 'metod-consistency-v0'"),
            (dict(proof=["xy"]), "proof hash 0 is not the hex of a 32-byte hash"),
            (dict(old_size=-13), "old_size is negative"),
            (dict(new_size="60"), "new_size is not an integer"),
        ]:
            with self.subTest(reason=reason):
                self.assertRefused(self.verify(a, b, self.proof_file(13, 60, **overrides)), reason)
        self.write("proof.json", b"\xff")
        self.assertRefused(self.verify(a, b, self.path("proof.json")), "proof is not valid UTF-8")
        self.assertRefused(self.verify(a, b, self.path("absent.json")), "cannot read")


if __name__ == "__main__":
    unittest.main()
