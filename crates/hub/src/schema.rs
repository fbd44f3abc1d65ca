//! The hub's schema: created by `beatbook hub init`, versioned like the store's, checked
//! by every terminal before it syncs.

use crate::{HubAddress, HubError};

/// The schema version this beatbook creates and understands.
pub const HUB_SCHEMA_VERSION: u32 = 1;

const SCHEMA_V1: &str = include_str!("schema.sql");

/// The group role of a hub's terminals: one per database, so that a terminal of one hub
/// has no rights on another hub of the same server.
pub fn group_role(database: &str) -> String {
    let clean: String = database
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    format!("bb_{clean}_terminals")
}

/// What `hub init` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitOutcome {
    Created,
    Migrated { from: u32 },
}

/// Creates the hub in the address's database (or brings an older one up to date). As
/// the database's owner; in one transaction.
pub fn init(address: &HubAddress) -> Result<InitOutcome, HubError> {
    let mut client = address.connect_admin()?;
    let found = version(&mut client)?;
    match found {
        Some(v) if v == HUB_SCHEMA_VERSION => Err(HubError::AlreadyAHub),
        Some(v) if v > HUB_SCHEMA_VERSION => Err(HubError::NewerSchema {
            found: v,
            supported: HUB_SCHEMA_VERSION,
        }),
        // No older versions exist yet: version 1 is the first.
        Some(v) => Err(HubError::Server(format!("unknown hub schema version {v}"))),
        None => {
            let group = group_role(address.database());
            let mut tx = client.transaction().map_err(HubError::from_pg)?;
            let exists = tx
                .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&group])
                .map_err(HubError::from_pg)?
                .is_some();
            if !exists {
                tx.batch_execute(&format!("CREATE ROLE {} NOLOGIN", ident(&group)))
                    .map_err(HubError::from_pg)?;
            }
            let sql = SCHEMA_V1
                .replace("{group}", &ident(&group))
                .replace("{database}", &ident(address.database()));
            tx.batch_execute(&sql).map_err(HubError::from_pg)?;
            tx.execute(
                "INSERT INTO hub_meta (key, value) VALUES ('schema_version', $1)",
                &[&HUB_SCHEMA_VERSION.to_string()],
            )
            .map_err(HubError::from_pg)?;
            tx.commit().map_err(HubError::from_pg)?;
            Ok(InitOutcome::Created)
        }
    }
}

/// The hub's schema version; None when the database holds no hub.
pub(crate) fn version(client: &mut postgres::Client) -> Result<Option<u32>, HubError> {
    let table = client
        .query_one("SELECT to_regclass('public.hub_meta') IS NOT NULL", &[])
        .map_err(HubError::from_pg)?;
    if !table.get::<_, bool>(0) {
        return Ok(None);
    }
    let row = client
        .query_opt(
            "SELECT value FROM hub_meta WHERE key = 'schema_version'",
            &[],
        )
        .map_err(HubError::from_pg)?;
    match row {
        None => Ok(None),
        Some(row) => {
            let text: String = row.get(0);
            text.parse()
                .map(Some)
                .map_err(|_| HubError::Server(format!("hub schema version {text:?}")))
        }
    }
}

/// Refuses a hub that is missing or newer than this beatbook.
pub(crate) fn check(client: &mut postgres::Client) -> Result<(), HubError> {
    match version(client)? {
        None => Err(HubError::NotAHub),
        Some(v) if v > HUB_SCHEMA_VERSION => Err(HubError::NewerSchema {
            found: v,
            supported: HUB_SCHEMA_VERSION,
        }),
        Some(_) => Ok(()),
    }
}

/// A quoted SQL identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
