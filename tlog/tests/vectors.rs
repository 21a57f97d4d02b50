//! The reference tree of Certificate Transparency: eight leaves, the roots of every size, and
//! the inclusion and consistency proofs published with it. The data (not the code) is that of
//! transparency-dev/merkle (`testonly/constants.go`, `proof/verify_test.go`), which carries it
//! over from google/certificate-transparency; the proofs there number leaves from 1.

use tlog::{
    consistency_proof, empty_root, inclusion_proof, leaf_hash, root, verify_consistency,
    verify_inclusion, Frontier, Hash, MemoryTree,
};

const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// The roots of the trees of 1..=8 leaves.
const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// (leaf index from 0, tree size, proof).
const INCLUSION: &[(u64, u64, &[&str])] = &[
    (0, 1, &[]),
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// (old size, new size, proof).
const CONSISTENCY: &[(u64, u64, &[&str])] = &[
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

fn h(s: &str) -> Hash {
    let bytes = hex::decode(s).expect("hex");
    bytes.try_into().expect("32 bytes")
}

fn hashes(list: &[&str]) -> Vec<Hash> {
    list.iter().map(|s| h(s)).collect()
}

fn leaf_hashes() -> Vec<Hash> {
    LEAVES
        .iter()
        .map(|l| leaf_hash(&hex::decode(l).expect("hex")))
        .collect()
}

#[test]
fn the_empty_tree_is_the_hash_of_nothing() {
    assert_eq!(
        empty_root(),
        h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(root(&[]), empty_root());
    assert_eq!(Frontier::new().root(), empty_root());
}

#[test]
fn the_roots_of_every_size_are_the_reference_roots() {
    let leaves = leaf_hashes();
    let mut frontier = Frontier::new();
    for (size, expected) in (1..=8).zip(ROOTS) {
        assert_eq!(root(&leaves[..size]), h(expected), "root of {size}");
        frontier.push(leaves[size - 1]);
        assert_eq!(frontier.root(), h(expected), "frontier root of {size}");
        let tree = MemoryTree::new(&leaves[..size]);
        assert_eq!(
            tlog::root_at(size as u64, &tree),
            Ok(h(expected)),
            "root_at {size}"
        );
    }
}

#[test]
fn the_inclusion_proofs_are_the_reference_proofs() {
    let leaves = leaf_hashes();
    let tree = MemoryTree::new(&leaves);
    for &(index, size, proof) in INCLUSION {
        let expected = hashes(proof);
        assert_eq!(
            inclusion_proof(index, size, &tree),
            Ok(expected.clone()),
            "proof of {index} in {size}"
        );
        let root = h(ROOTS[size as usize - 1]);
        assert_eq!(
            verify_inclusion(&leaves[index as usize], index, size, &expected, &root),
            Ok(()),
            "verify {index} in {size}"
        );
    }
}

#[test]
fn the_consistency_proofs_are_the_reference_proofs() {
    let tree = MemoryTree::new(&leaf_hashes());
    for &(old, new, proof) in CONSISTENCY {
        let expected = hashes(proof);
        assert_eq!(
            consistency_proof(old, new, &tree),
            Ok(expected.clone()),
            "proof of {old} to {new}"
        );
        let (old_root, new_root) = (h(ROOTS[old as usize - 1]), h(ROOTS[new as usize - 1]));
        assert_eq!(
            verify_consistency(old, new, &old_root, &new_root, &expected),
            Ok(()),
            "verify {old} to {new}"
        );
    }
}
