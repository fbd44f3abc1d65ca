//! The TUI's resident memory kept to what it holds (issue 16: < 150 MB at bureau scale).
//!
//! glibc gives each thread that allocates its own heap ("arena"). The store opens on its
//! own thread behind the login screen and, at full size, reads sled's page-table
//! snapshot there (tens of MB, freed once the table is built); the person search is built
//! on another thread after the login. Memory freed in those arenas stayed resident: at
//! full size the TUI held ~20 MB more at Today than with one heap, and no list is faster
//! with more (the threads rarely allocate at the same moment). `malloc_trim` after the
//! open was tried too and changed nothing at Today: Today's own reads refill what it frees.

/// One heap for the whole process. Called before the TUI starts its threads; elsewhere
/// (other C libraries) it does nothing.
pub(crate) fn one_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of glibc's allocator; it reads and
    // writes no memory of ours, and M_ARENA_MAX with 1 is a documented setting.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}
