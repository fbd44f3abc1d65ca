//! The portable backup: every record as one JSON line with a `kind` field.

use super::{Service, ServiceError, Session};
use beatbook_core::rules::access;
use beatbook_model::Role;
use beatbook_model::{Alert, Dispute, Finding, Officer, Person, Station, Visit, WatchFlag};
use beatbook_store::{Actor, AnyRecord, Change, Kind, Record};
use std::io::Write;

/// How many lines of each kind an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub counts: Vec<(Kind, usize)>,
}

impl ExportSummary {
    pub fn total(&self) -> usize {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}

/// How an export ended: the records written, or how many were handed to the output
/// before it failed, and why.
type Outcome<'e> = Result<usize, (usize, &'e ServiceError)>;

fn not_completed(written: usize, e: &ServiceError) -> String {
    format!("not completed: the output failed after {written} records ({e})")
}

impl Service {
    /// Writes every record as JSON Lines, password hashes removed. This is the operator's
    /// full backup: whoever can read the data folder can read the store anyway. Audited
    /// before the first byte is written and again when it ends (see [`Service::audited_export`]).
    pub fn export_jsonl(
        &self,
        out: &mut dyn Write,
        by: &str,
    ) -> Result<ExportSummary, ServiceError> {
        let begun =
            Change::new("export.started", &Actor::system(), self.now_utc()).detail(format!(
            "export by {by}: every record of every station, unmasked (password hashes left out)"
        ));
        let ended = |outcome: Outcome| {
            let what = match outcome {
                Ok(n) => format!("{n} records"),
                Err((n, e)) => not_completed(n, e),
            };
            Change::new("export", &Actor::system(), self.now_utc())
                .detail(format!("export by {by}: {what}"))
        };
        self.audited_export(out, begun, &ended, &|_| true)
    }

    /// Writes what `session` may read, audited under that account: officers and chiefs
    /// their own station's records, supervisors every station's, administrators stations
    /// and accounts only (no case data).
    pub fn export_jsonl_as(
        &self,
        session: &Session,
        out: &mut dyn Write,
    ) -> Result<ExportSummary, ServiceError> {
        let p = self.authorize(session)?;
        let keep = |r: &AnyRecord| -> bool {
            match (session.role(), r) {
                (Role::Admin, AnyRecord::Station(_) | AnyRecord::Officer(_)) => true,
                (Role::Admin, _) => false,
                (_, AnyRecord::Station(s)) => access::can_read_station(&p, s.meta.id),
                (_, other) => access::can_read_station(&p, other.meta().station),
            }
        };
        let scope = match session.role() {
            Role::Admin => "stations and accounts only".to_string(),
            Role::Supervisor => "every station".to_string(),
            _ => format!("station {}", self.station_name(session.station())),
        };
        let begun = self.change(session, "export.started").detail(format!(
            "export of {scope}, unmasked (password hashes left out)"
        ));
        let ended = |outcome: Outcome| {
            let detail = match outcome {
                Ok(n) => format!("export of {n} records"),
                Err((n, e)) => format!("export of {scope} {}", not_completed(n, e)),
            };
            self.change(session, "export").detail(detail)
        };
        self.audited_export(out, begun, &ended, &keep)
    }

    /// Commits `begun` before anything is written — a reader that stops early (`| head`)
    /// has already had personal data — then writes, then commits the outcome: `ended` with
    /// the count, or, when the output failed, an `export.failed` entry saying how far it got.
    fn audited_export(
        &self,
        out: &mut dyn Write,
        begun: Change,
        ended: &dyn Fn(Outcome) -> Change,
        keep: &dyn Fn(&AnyRecord) -> bool,
    ) -> Result<ExportSummary, ServiceError> {
        self.store.commit(&begun)?;
        let mut written = 0usize;
        match self.export_filtered(out, keep, &mut written) {
            Ok(summary) => {
                let change = ended(Ok(summary.total()));
                self.store.commit(&change)?;
                Ok(summary)
            }
            Err(e) => {
                let mut change = ended(Err((written, &e)));
                change.action = "export.failed".to_string();
                if let Err(audit) = self.store.commit(&change) {
                    tracing::warn!("export failure not audited: {audit}");
                }
                Err(e)
            }
        }
    }

    fn export_filtered(
        &self,
        out: &mut dyn Write,
        keep: &dyn Fn(&AnyRecord) -> bool,
        written: &mut usize,
    ) -> Result<ExportSummary, ServiceError> {
        let mut summary = ExportSummary::default();
        summary.counts.push((
            Kind::Station,
            self.export_kind::<Station>(out, keep, written)?,
        ));
        summary.counts.push((
            Kind::Officer,
            self.export_kind::<Officer>(out, keep, written)?,
        ));
        summary.counts.push((
            Kind::Person,
            self.export_kind::<Person>(out, keep, written)?,
        ));
        summary
            .counts
            .push((Kind::Visit, self.export_kind::<Visit>(out, keep, written)?));
        summary.counts.push((
            Kind::Dispute,
            self.export_kind::<Dispute>(out, keep, written)?,
        ));
        summary.counts.push((
            Kind::Flag,
            self.export_kind::<WatchFlag>(out, keep, written)?,
        ));
        summary
            .counts
            .push((Kind::Alert, self.export_kind::<Alert>(out, keep, written)?));
        summary.counts.push((
            Kind::Finding,
            self.export_kind::<Finding>(out, keep, written)?,
        ));
        out.flush()?;
        Ok(summary)
    }

    fn export_kind<T: Record>(
        &self,
        out: &mut dyn Write,
        keep: &dyn Fn(&AnyRecord) -> bool,
        written: &mut usize,
    ) -> Result<usize, ServiceError> {
        let mut n = 0;
        for record in self.store.all::<T>() {
            let any: AnyRecord = record?.into();
            if !keep(&any) {
                continue;
            }
            let mut value = serde_json::to_value(&any)
                .map_err(|e| beatbook_store::StoreError::Corrupt(e.to_string()))?;
            if let Some(obj) = value.as_object_mut() {
                obj.remove("password_hash");
            }
            serde_json::to_writer(&mut *out, &value).map_err(|e| ServiceError::Io(e.into()))?;
            out.write_all(b"\n")?;
            n += 1;
            *written += 1;
        }
        Ok(n)
    }
}
