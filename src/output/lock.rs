//! An advisory lock on the crate directory, so that two builds of one crate
//! (two terminals, a build script and a watcher) never interleave.
//!
//! The lock is taken on the directory itself (`flock` on Unix), so it adds
//! no file to the crate and is released by the operating system when the
//! build ends, however it ends (even on `SIGKILL`).

use crate::diagnostics::{codes, Diagnostic};
use std::fs::File;
use std::path::Path;

/// Held while a build writes a crate directory; released on drop.
#[derive(Debug)]
pub struct Lock {
    /// `None` where the platform cannot lock a directory.
    _handle: Option<File>,
}

/// Whether to wait for another build's lock or give up at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wait {
    /// Block until the other build is done.
    #[default]
    Block,
    /// Fail with [`codes::OUTPUT_LOCKED`] if another build holds the lock.
    Fail,
}

impl Lock {
    /// Locks `dir`, which must exist.
    pub fn acquire(dir: &Path, wait: Wait) -> Result<Lock, Box<Diagnostic>> {
        // Opening a directory as a file works on Unix; elsewhere builds go
        // unlocked rather than not at all.
        let Ok(handle) = File::open(dir) else {
            return Ok(Lock { _handle: None });
        };
        let locked = match wait {
            Wait::Block => handle.lock().map_err(std::fs::TryLockError::Error),
            Wait::Fail => handle.try_lock(),
        };
        match locked {
            Ok(()) => Ok(Lock {
                _handle: Some(handle),
            }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Box::new(
                Diagnostic::error(
                    codes::OUTPUT_LOCKED,
                    format!("another esgen build is writing `{}`", dir.display()),
                )
                .with_help("wait for it to finish, then build again"),
            )),
            Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                Ok(Lock { _handle: None })
            }
            Err(std::fs::TryLockError::Error(e)) => Err(Box::new(Diagnostic::error(
                codes::IO,
                format!("cannot lock `{}`: {e}", dir.display()),
            ))),
        }
    }
}
