//! The body of a backup archive as it is written: entries are staged in large buffers on
//! the thread that reads sled, and compressed (LZ4), hashed and written on a second
//! thread. Reading sled is most of a backup's time and compressing most of the rest, so on
//! two cores they overlap instead of adding up; a few recycled buffers bound the memory
//! and make a slow disk hold the reader back rather than pile data up.

use std::io::{self, Write};
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Bytes staged before a buffer is handed to the writer thread.
const STAGE: usize = 1 << 20;
/// Buffers in circulation: one being filled, the others queued or being compressed.
const BUFFERS: usize = 3;

/// Writes `len key len value` entries (lengths u32 LE) into an LZ4 frame on `W`.
pub(super) struct BodyWriter<W> {
    stage: Vec<u8>,
    full: Option<SyncSender<Vec<u8>>>,
    empty: Receiver<Vec<u8>>,
    writer: Option<JoinHandle<io::Result<W>>>,
}

impl<W: Write + Send + 'static> BodyWriter<W> {
    /// Starts the writer thread on `out`.
    pub(super) fn start(out: W) -> io::Result<BodyWriter<W>> {
        let (full_tx, full_rx) = sync_channel::<Vec<u8>>(BUFFERS - 1);
        let (empty_tx, empty_rx) = channel::<Vec<u8>>();
        for _ in 1..BUFFERS {
            // Cannot fail: the receiver is alive right here.
            let _ = empty_tx.send(Vec::with_capacity(STAGE + (64 << 10)));
        }
        let writer = std::thread::Builder::new()
            .name("archive-writer".into())
            .spawn(move || -> io::Result<W> {
                // 4 MB blocks: fewer block headers and a slightly better ratio than 64 KB.
                let info = lz4_flex::frame::FrameInfo::new()
                    .block_size(lz4_flex::frame::BlockSize::Max4MB);
                let mut encoder = lz4_flex::frame::FrameEncoder::with_frame_info(info, out);
                for mut chunk in full_rx {
                    encoder.write_all(&chunk)?;
                    chunk.clear();
                    // The reader may have stopped already; then the buffer is just freed.
                    let _ = empty_tx.send(chunk);
                }
                encoder.finish().map_err(io::Error::other)
            })?;
        Ok(BodyWriter {
            stage: Vec::with_capacity(STAGE + (64 << 10)),
            full: Some(full_tx),
            empty: empty_rx,
            writer: Some(writer),
        })
    }

    /// Appends one entry.
    pub(super) fn entry(&mut self, k: &[u8], v: &[u8]) -> io::Result<()> {
        let kl = u32::try_from(k.len()).map_err(io::Error::other)?;
        let vl = u32::try_from(v.len()).map_err(io::Error::other)?;
        self.stage.extend_from_slice(&kl.to_le_bytes());
        self.stage.extend_from_slice(k);
        self.stage.extend_from_slice(&vl.to_le_bytes());
        self.stage.extend_from_slice(v);
        if self.stage.len() >= STAGE {
            self.hand_off()?;
        }
        Ok(())
    }

    /// Ends the frame and gives back the output once everything is written to it.
    pub(super) fn finish(mut self) -> io::Result<W> {
        if !self.stage.is_empty() {
            let last = std::mem::take(&mut self.stage);
            self.send(last)?;
        }
        self.full = None;
        self.join()
    }

    /// Sends the staged buffer to the writer and takes a free one (waiting for it when the
    /// writer is behind).
    fn hand_off(&mut self) -> io::Result<()> {
        let Ok(next) = self.empty.recv() else {
            return Err(self.failure());
        };
        let full = std::mem::replace(&mut self.stage, next);
        self.send(full)
    }

    fn send(&mut self, buf: Vec<u8>) -> io::Result<()> {
        match &self.full {
            Some(tx) if tx.send(buf).is_ok() => Ok(()),
            _ => Err(self.failure()),
        }
    }

    /// Why the writer thread stopped early (its channels closed).
    fn failure(&mut self) -> io::Error {
        self.full = None;
        match self.join() {
            Err(e) => e,
            Ok(_) => io::Error::other("the archive writer stopped early"),
        }
    }

    fn join(&mut self) -> io::Result<W> {
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the archive writer failed")),
            None => Err(io::Error::other("the archive writer already stopped")),
        }
    }
}

impl<W> Drop for BodyWriter<W> {
    /// On an error while reading, lets the writer thread end and waits for it, so the
    /// file is closed before the caller removes it.
    fn drop(&mut self) {
        self.full = None;
        if let Some(handle) = self.writer.take() {
            let _ = handle.join();
        }
    }
}
