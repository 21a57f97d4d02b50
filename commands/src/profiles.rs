//! The regulation profiles a deployment knows: the five of `profiles/` built into the binary,
//! plus any `*.toml` in a directory the operator names (which may add a municipality or
//! replace a built-in one) — no code change either way.

use std::collections::BTreeMap;
use std::path::Path;

use domain::RegulationProfile;

use crate::error::CommandError;

const BUILT_IN: &[(&str, &str)] = &[
    (
        "novokuznetsk.toml",
        include_str!("../../profiles/novokuznetsk.toml"),
    ),
    (
        "kuznetsk.toml",
        include_str!("../../profiles/kuznetsk.toml"),
    ),
    ("izhevsk.toml", include_str!("../../profiles/izhevsk.toml")),
    (
        "novosibirsk.toml",
        include_str!("../../profiles/novosibirsk.toml"),
    ),
    (
        "pervouralsk.toml",
        include_str!("../../profiles/pervouralsk.toml"),
    ),
];

/// Profiles by name.
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    profiles: BTreeMap<String, RegulationProfile>,
}

impl ProfileSet {
    /// The five profiles built into the binary.
    pub fn built_in() -> Result<Self, CommandError> {
        let mut set = Self::default();
        for (file, text) in BUILT_IN {
            set.insert(RegulationProfile::from_toml(
                &format!("profiles/{file}"),
                text,
            )?);
        }
        Ok(set)
    }

    /// The built-in profiles, then every `*.toml` of `dir` (a file may replace a built-in
    /// profile of the same name).
    pub fn built_in_and(dir: Option<&Path>) -> Result<Self, CommandError> {
        let mut set = Self::built_in()?;
        if let Some(dir) = dir {
            set.load_dir(dir)?;
        }
        Ok(set)
    }

    pub fn load_dir(&mut self, dir: &Path) -> Result<(), CommandError> {
        let failure = |reason: String| CommandError::ProfileDirectory {
            dir: dir.display().to_string(),
            reason,
        };
        let entries = std::fs::read_dir(dir).map_err(|e| failure(e.to_string()))?;
        let mut files: Vec<_> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| failure(format!("{}: {e}", path.display())))?;
            let profile = RegulationProfile::from_toml(&path.display().to_string(), &text)?;
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            if profile.name != stem {
                return Err(failure(format!(
                    "{}: имя профиля «{}» должно совпадать с именем файла «{stem}»",
                    path.display(),
                    profile.name
                )));
            }
            self.insert(profile);
        }
        Ok(())
    }

    pub fn insert(&mut self, profile: RegulationProfile) {
        self.profiles.insert(profile.name.clone(), profile);
    }

    pub fn get(&self, name: &str) -> Result<&RegulationProfile, CommandError> {
        self.profiles
            .get(name)
            .ok_or_else(|| CommandError::ProfileNotFound {
                name: name.to_string(),
                known: self.names().join(", "),
            })
    }

    pub fn names(&self) -> Vec<String> {
        self.profiles.keys().cloned().collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &RegulationProfile> {
        self.profiles.values()
    }
}
