//! The portable backup: every record as one JSON line with a `kind` field.

use super::{Service, ServiceError};
use crate::model::{Alert, Dispute, Officer, Person, Station, Visit, WatchFlag};
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
    /// (personal data leaves the store).
    pub fn export_jsonl(
        &self,
        out: &mut dyn Write,
        by: &str,
    ) -> Result<ExportSummary, ServiceError> {
        let mut summary = ExportSummary::default();
        summary
            .counts
            .push((Kind::Station, self.export_kind::<Station>(out)?));
        summary
            .counts
            .push((Kind::Officer, self.export_kind::<Officer>(out)?));
        summary
            .counts
            .push((Kind::Person, self.export_kind::<Person>(out)?));
        summary
            .counts
            .push((Kind::Visit, self.export_kind::<Visit>(out)?));
        summary
            .counts
            .push((Kind::Dispute, self.export_kind::<Dispute>(out)?));
        summary
            .counts
            .push((Kind::Flag, self.export_kind::<WatchFlag>(out)?));
        summary
            .counts
            .push((Kind::Alert, self.export_kind::<Alert>(out)?));
        out.flush()?;
        let change = Change::new("export", &Actor::system(), self.now_utc())
            .detail(format!("export by {by}: {} records", summary.total()));
        self.store.commit(&change)?;
        Ok(summary)
    }

    fn export_kind<T: Record>(&self, out: &mut dyn Write) -> Result<usize, ServiceError> {
        let mut n = 0;
        for record in self.store.all::<T>() {
            let any: AnyRecord = record?.into();
            let mut value = serde_json::to_value(&any)
                .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
            if let Some(obj) = value.as_object_mut() {
                obj.remove("password_hash");
            }
            serde_json::to_writer(&mut *out, &value)
                .map_err(|e| ServiceError::Io(std::io::Error::other(e)))?;
            out.write_all(b"\n")?;
            n += 1;
        }
        Ok(n)
    }
}
