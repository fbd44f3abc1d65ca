//! Reaching the hub: an address (a `postgresql://` URL or `key=value` pairs, as libpq
//! takes them) plus, for a terminal, its own role and secret — set on the connection, never
//! in the address, a process argument or a log line.

use crate::HubError;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// How long a terminal waits for the hub before it counts as offline.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the hub is. Holds no secret of a terminal (an administrator's address may carry
/// its own password; it is never written to a file or the log).
#[derive(Clone)]
pub struct HubAddress {
    config: postgres::Config,
    /// The address as given, without any password, for messages and `hub.toml`.
    shown: String,
    /// The bureau's CA certificate (PEM), which the hub's certificate must chain to when
    /// the hub is reached over the network.
    ca: Option<PathBuf>,
}

impl std::fmt::Debug for HubAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Display for HubAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl HubAddress {
    pub fn parse(text: &str) -> Result<HubAddress, HubError> {
        let mut config = postgres::Config::from_str(text.trim())
            .map_err(|e| HubError::BadAddress(e.to_string()))?;
        if config.get_hosts().is_empty() {
            return Err(HubError::BadAddress("no host".into()));
        }
        if config.get_dbname().is_none() {
            return Err(HubError::BadAddress("no database name".into()));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("beatbook");
        Ok(HubAddress {
            shown: without_password(text.trim()),
            config,
            ca: None,
        })
    }

    /// The same address, the hub's certificate checked against the CA in `pem`.
    pub fn with_ca(mut self, pem: &Path) -> HubAddress {
        self.ca = Some(pem.to_path_buf());
        self
    }

    /// The address as a terminal should be given it: without the administrator's user
    /// (a terminal connects as its own role).
    pub fn for_terminals(&self) -> String {
        without_user(&self.shown)
    }

    /// The CA file given with [`HubAddress::with_ca`].
    pub fn ca(&self) -> Option<&Path> {
        self.ca.as_deref()
    }

    /// Whether the hub is reached over the network (TLS), not a local Unix socket.
    pub fn over_network(&self) -> bool {
        self.config
            .get_hosts()
            .iter()
            .any(|h| matches!(h, postgres::config::Host::Tcp(_)))
    }

    /// The database's name (the hub's group role is named after it).
    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    /// Connects with the address's own user (an administrator: `hub init`,
    /// `add-terminal`). A password, when the address has none, comes from `PGPASSWORD`.
    pub fn connect_admin(&self) -> Result<postgres::Client, HubError> {
        let mut config = self.config.clone();
        if config.get_password().is_none() {
            if let Some(p) = std::env::var_os("PGPASSWORD") {
                config.password(p.to_string_lossy().as_bytes());
            }
        }
        if config.get_user().is_none() {
            if let Some(user) = std::env::var_os("PGUSER").or_else(|| std::env::var_os("USER")) {
                config.user(&user.to_string_lossy());
            }
        }
        self.open(config)
    }

    /// Connects as an enrolled terminal.
    pub fn connect_as(&self, credential: &Credential) -> Result<postgres::Client, HubError> {
        let mut config = self.config.clone();
        config.user(&credential.role);
        config.password(credential.secret.as_bytes());
        self.open(config)
    }

    /// A local socket needs no TLS; over the network TLS is required and the hub's
    /// certificate must chain to the bureau's CA and name the host.
    fn open(&self, mut config: postgres::Config) -> Result<postgres::Client, HubError> {
        if !self.over_network() {
            return config.connect(postgres::NoTls).map_err(HubError::from_pg);
        }
        let Some(ca) = &self.ca else {
            return Err(HubError::NoCertificate);
        };
        config.ssl_mode(postgres::config::SslMode::Require);
        let tls = tls_connector(ca)?;
        config.connect(tls).map_err(HubError::from_pg)
    }
}

/// rustls (ring provider) trusting only the certificates in `ca`.
fn tls_connector(ca: &Path) -> Result<tokio_postgres_rustls::MakeRustlsConnect, HubError> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;
    let bad = |problem: String| HubError::BadFile {
        path: ca.to_path_buf(),
        problem,
    };
    let bytes = std::fs::read(ca).map_err(|source| HubError::File {
        path: ca.to_path_buf(),
        source,
    })?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| bad(format!("{e:?}")))?;
        roots.add(cert).map_err(|e| bad(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(bad("no certificate".into()));
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// `postgresql://user:secret@host/db` → `postgresql://user@host/db`; `password=…` pairs
/// dropped.
fn without_password(text: &str) -> String {
    if let Some(rest) = text
        .strip_prefix("postgresql://")
        .or_else(|| text.strip_prefix("postgres://"))
    {
        let scheme = &text[..text.len() - rest.len()];
        if let Some(at) = rest.find('@') {
            let (userinfo, host) = rest.split_at(at);
            let user = userinfo.split(':').next().unwrap_or_default();
            return format!("{scheme}{user}{host}");
        }
        return text.to_string();
    }
    text.split_whitespace()
        .filter(|pair| !pair.starts_with("password="))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `postgresql://user@host/db` → `postgresql://host/db`; `user=…` pairs dropped.
fn without_user(text: &str) -> String {
    if let Some(rest) = text
        .strip_prefix("postgresql://")
        .or_else(|| text.strip_prefix("postgres://"))
    {
        let scheme = &text[..text.len() - rest.len()];
        return match rest.find('@') {
            Some(at) => format!("{scheme}{}", &rest[at + 1..]),
            None => text.to_string(),
        };
    }
    text.split_whitespace()
        .filter(|pair| !pair.starts_with("user="))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A terminal's login at the hub: its role and secret. Never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub role: String,
    pub secret: String,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl Credential {
    /// The one-time enrolment text an administrator hands to the terminal:
    /// `ROLE.SECRET`.
    pub fn enrolment(&self) -> String {
        format!("{}.{}", self.role, self.secret)
    }

    pub fn from_enrolment(text: &str) -> Option<Credential> {
        let (role, secret) = text.trim().split_once('.')?;
        let plain =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        (plain(role) && plain(secret)).then(|| Credential {
            role: role.to_string(),
            secret: secret.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_shown_address() {
        let a = HubAddress::parse("postgresql://admin:s3cret@hub.example:5432/bureau").unwrap();
        assert_eq!(a.to_string(), "postgresql://admin@hub.example:5432/bureau");
        assert_eq!(a.for_terminals(), "postgresql://hub.example:5432/bureau");
        let b = HubAddress::parse("host=/tmp/pg dbname=hub password=s3cret user=x").unwrap();
        assert!(!b.to_string().contains("s3cret"));
        assert!(!format!("{b:?}").contains("s3cret"));
        let c = Credential {
            role: "bb_t".into(),
            secret: "abc".into(),
        };
        assert!(!format!("{c:?}").contains("abc"));
        assert_eq!(Credential::from_enrolment(&c.enrolment()), Some(c));
        assert!(Credential::from_enrolment("no-dot").is_none());
        assert!(HubAddress::parse("host=/tmp/pg").is_err());
    }
}
