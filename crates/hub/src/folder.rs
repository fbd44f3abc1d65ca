//! A data folder's link to its hub: `hub.toml` (where the hub is, which terminal this is,
//! how often to sync) and `hub.secret` (the terminal's secret, readable by its user only).
//! The secret is in no other file, no log line and no process argument.

use crate::{Credential, HubAddress, HubError};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The default time between background rounds.
pub const DEFAULT_INTERVAL_SECS: u64 = 30;

/// What `hub.toml` holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubLink {
    /// The hub's address, without any password.
    pub address: String,
    /// This terminal's role at the hub.
    pub terminal: String,
    /// The station code it serves; empty for a bureau terminal.
    #[serde(default)]
    pub station: String,
    /// Seconds between background rounds in the app.
    #[serde(default = "default_interval")]
    pub interval_secs: u64,
    /// The bureau's CA certificate, in the data folder, for a hub over the network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
}

/// The name of the copy of the bureau's CA certificate in the data folder.
pub const CA_FILE: &str = "hub-ca.pem";

fn default_interval() -> u64 {
    DEFAULT_INTERVAL_SECS
}

fn link_path(data: &Path) -> PathBuf {
    data.join("hub.toml")
}

fn secret_path(data: &Path) -> PathBuf {
    data.join("hub.secret")
}

/// The hub this data folder is joined to, with its credential; None when it has not
/// joined one (the embedded default).
pub fn load(data: &Path) -> Result<Option<(HubLink, HubAddress, Credential)>, HubError> {
    let path = link_path(data);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(HubError::File { path, source }),
    };
    let link: HubLink = toml::from_str(&text).map_err(|e| HubError::BadFile {
        path: path.clone(),
        problem: e.message().to_string(),
    })?;
    let mut address = HubAddress::parse(&link.address)?;
    if let Some(ca) = &link.ca_file {
        address = address.with_ca(&data.join(ca));
    }
    let spath = secret_path(data);
    let secret = std::fs::read_to_string(&spath).map_err(|source| HubError::File {
        path: spath.clone(),
        source,
    })?;
    let credential = Credential {
        role: link.terminal.clone(),
        secret: secret.trim().to_string(),
    };
    Ok(Some((link, address, credential)))
}

/// Writes both files, the secret first and private, and a copy of the CA certificate the
/// address names (so that the data folder alone is the terminal's whole link).
pub fn save(
    data: &Path,
    link: &HubLink,
    address: &HubAddress,
    credential: &Credential,
) -> Result<HubLink, HubError> {
    let mut link = link.clone();
    if let Some(ca) = address.ca() {
        let bytes = std::fs::read(ca).map_err(|source| HubError::File {
            path: ca.to_path_buf(),
            source,
        })?;
        write_private(&data.join(CA_FILE), &bytes)?;
        link.ca_file = Some(CA_FILE.to_string());
    }
    write_private(&secret_path(data), credential.secret.as_bytes())?;
    let text = toml::to_string(&link).map_err(|e| HubError::BadFile {
        path: link_path(data),
        problem: e.to_string(),
    })?;
    write_private(&link_path(data), text.as_bytes())?;
    Ok(link)
}

/// Writes a file only its user can read (0600), synced, through a temporary name.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), HubError> {
    let fail = |source| HubError::File {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(fail)?;
    if let Some(dir) = path.parent() {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}
