//! The bulk writer the seed and the demo load with: records committed in batches without
//! a flush in between, flushed once at the end, progress reported as it goes.

use super::*;

/// Writes records in transactions of [`BATCH`] without flushing in between; `finish`
/// flushes once. For bulk loads only: until `finish` returns, nothing is promised durable.
pub(crate) struct Bulk<'a> {
    service: &'a Loader<'a>,
    change: Change,
    written: usize,
    progress: &'a mut dyn FnMut(usize),
}

impl<'a> Bulk<'a> {
    pub fn new(service: &'a Loader<'a>, action: &str, progress: &'a mut dyn FnMut(usize)) -> Self {
        Bulk {
            service,
            change: Change::new(action, &Actor::system(), service.now_utc()),
            written: 0,
            progress,
        }
    }

    pub fn push(&mut self, record: impl Into<AnyRecord>) -> Result<(), ServiceError> {
        self.change.writes.push(Write::Put(Box::new(record.into())));
        if self.change.writes.len() >= BATCH {
            self.commit()?;
        }
        Ok(())
    }

    pub(crate) fn commit(&mut self) -> Result<(), ServiceError> {
        let n = self.change.writes.len();
        if n == 0 {
            return Ok(());
        }
        self.change.detail = format!("bulk batch of {n} records");
        self.service.store.commit_unflushed(&self.change)?;
        self.change.writes.clear();
        self.written += n;
        (self.progress)(self.written);
        Ok(())
    }

    /// Commits the last batch and makes everything durable. Returns the records written.
    pub fn finish(mut self) -> Result<usize, ServiceError> {
        self.commit()?;
        self.service.store.flush()?;
        Ok(self.written)
    }
}
