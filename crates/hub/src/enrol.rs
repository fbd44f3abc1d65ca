//! Enrolling a terminal: its own PostgreSQL role in the hub's group, a secret made here
//! and sent to the server only as a SCRAM verifier (the plain secret is in no statement the
//! server could log), and its row in `terminals` saying what it may read and write.

use crate::schema::{group_role, ident};
use crate::{Credential, HubAddress, HubError};

/// What a terminal serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One station: reads its records (and every station and account), writes its own.
    Station { code: String },
    /// The bureau: reads every station, writes findings, accounts and stations.
    Bureau,
}

/// A terminal just enrolled.
#[derive(Debug)]
pub struct Enrolled {
    pub credential: Credential,
    /// The station's id (None for a bureau terminal).
    pub station: Option<String>,
}

/// Creates a terminal's role and row. As the database's owner.
pub fn add_terminal(
    address: &HubAddress,
    scope: &Scope,
    label: &str,
) -> Result<Enrolled, HubError> {
    let mut client = address.connect_admin()?;
    crate::schema::check(&mut client)?;
    let station = match scope {
        Scope::Station { code } => Some(station_id(&mut client, code)?),
        Scope::Bureau => None,
    };
    let tag = match scope {
        Scope::Station { code } => code
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .take(12)
            .collect::<String>(),
        Scope::Bureau => "bureau".to_string(),
    };
    let credential = Credential {
        role: format!("bb_{tag}_{}", random_text(8).to_lowercase()),
        secret: random_text(32),
    };
    let verifier = postgres_protocol::password::scram_sha_256(credential.secret.as_bytes());
    let mut tx = client.transaction().map_err(HubError::from_pg)?;
    // A verifier is not an identifier or a parameter: quoted as a literal (it holds only
    // base64 and `$:=` characters).
    tx.batch_execute(&format!(
        "CREATE ROLE {} LOGIN PASSWORD '{}' IN ROLE {}",
        ident(&credential.role),
        verifier.replace('\'', "''"),
        ident(&group_role(address.database())),
    ))
    .map_err(HubError::from_pg)?;
    let scope_name = match scope {
        Scope::Station { .. } => "station",
        Scope::Bureau => "bureau",
    };
    tx.execute(
        "INSERT INTO terminals (name, scope, station, label) VALUES ($1, $2, $3, $4)",
        &[&credential.role, &scope_name, &station, &label],
    )
    .map_err(HubError::from_pg)?;
    tx.commit().map_err(HubError::from_pg)?;
    Ok(Enrolled {
        credential,
        station,
    })
}

/// The id of the station with `code`, as the hub holds it.
pub(crate) fn station_id(client: &mut postgres::Client, code: &str) -> Result<String, HubError> {
    let row = client
        .query_opt(
            "SELECT id FROM records WHERE kind = 'station' AND NOT deleted \
             AND lower(body->>'code') = lower($1)",
            &[&code],
        )
        .map_err(HubError::from_pg)?;
    row.map(|r| r.get(0))
        .ok_or_else(|| HubError::UnknownStation(code.to_string()))
}

/// Letters and digits from the system's random source.
fn random_text(n: usize) -> String {
    use password_hash::rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = vec![0u8; n];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}
