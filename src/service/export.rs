//! The portable backup: every record as one JSON line with a `kind` field.

use super::{Service, ServiceError, Session};
use crate::model::Role;
use crate::model::{Alert, Dispute, Finding, Officer, Person, Station, Visit, WatchFlag};
use crate::rules::access;
use crate::store::{Actor, AnyRecord, Change, Kind, Record};
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

impl Service {
    /// Writes every record as JSON Lines, password hashes removed, and audits the export
    /// (personal data leaves the store). This is the operator's full backup: whoever can
    /// read the data folder can read the store anyway.
    pub fn export_jsonl(
        &self,
        out: &mut dyn Write,
        by: &str,
    ) -> Result<ExportSummary, ServiceError> {
        let summary = self.export_filtered(out, &|_| true)?;
        let change = Change::new("export", &Actor::system(), self.now_utc())
            .detail(format!("export by {by}: {} records", summary.total()));
        self.store.commit(&change)?;
        Ok(summary)
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
        let summary = self.export_filtered(out, &keep)?;
        let change = self
            .change(session, "export")
            .detail(format!("export of {} records", summary.total()));
        self.store.commit(&change)?;
        Ok(summary)
    }

    fn export_filtered(
        &self,
        out: &mut dyn Write,
        keep: &dyn Fn(&AnyRecord) -> bool,
    ) -> Result<ExportSummary, ServiceError> {
        let mut summary = ExportSummary::default();
        summary
            .counts
            .push((Kind::Station, self.export_kind::<Station>(out, keep)?));
        summary
            .counts
            .push((Kind::Officer, self.export_kind::<Officer>(out, keep)?));
        summary
            .counts
            .push((Kind::Person, self.export_kind::<Person>(out, keep)?));
        summary
            .counts
            .push((Kind::Visit, self.export_kind::<Visit>(out, keep)?));
        summary
            .counts
            .push((Kind::Dispute, self.export_kind::<Dispute>(out, keep)?));
        summary
            .counts
            .push((Kind::Flag, self.export_kind::<WatchFlag>(out, keep)?));
        summary
            .counts
            .push((Kind::Alert, self.export_kind::<Alert>(out, keep)?));
        summary
            .counts
            .push((Kind::Finding, self.export_kind::<Finding>(out, keep)?));
        out.flush()?;
        Ok(summary)
    }

    fn export_kind<T: Record>(
        &self,
        out: &mut dyn Write,
        keep: &dyn Fn(&AnyRecord) -> bool,
    ) -> Result<usize, ServiceError> {
        let mut n = 0;
        for record in self.store.all::<T>() {
            let any: AnyRecord = record?.into();
            if !keep(&any) {
                continue;
            }
            let mut value = serde_json::to_value(&any)
                .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
            if let Some(obj) = value.as_object_mut() {
                obj.remove("password_hash");
            }
            serde_json::to_writer(&mut *out, &value).map_err(|e| ServiceError::Io(e.into()))?;
            out.write_all(b"\n")?;
            n += 1;
        }
        Ok(n)
    }
}
