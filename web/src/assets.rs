//! The assets every page uses, embedded in the binary: served by the server under
//! `/assets/{name}` with their content type, and never fetched from elsewhere.

/// One embedded file.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

/// Every asset, by name.
pub const ASSETS: &[Asset] = &[
    Asset {
        name: "metod.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/metod.css"),
    },
    // htmx 2.0.11 (Zero-Clause BSD, https://htmx.org), pinned: the file as npm's
    // `htmx.org@2.0.11` ships `dist/htmx.min.js`; its SHA-256 is checked by a test below
    Asset {
        name: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/htmx-2.0.11.min.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../assets/favicon.svg"),
    },
];

/// The asset called `name`, if there is one (a name is never a path).
pub fn asset(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn htmx_is_the_pinned_release() {
        use sha2::Digest;
        let htmx = asset("htmx.min.js").expect("embedded");
        assert_eq!(
            hex::encode(sha2::Sha256::digest(htmx.body)),
            "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
        );
    }

    #[test]
    fn assets_are_found_by_name_only() {
        assert!(asset("metod.css").is_some_and(|a| !a.body.is_empty()));
        assert!(asset("../Cargo.toml").is_none());
        assert!(asset("").is_none());
    }
}
