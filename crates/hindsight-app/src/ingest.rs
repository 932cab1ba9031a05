//! Ingesting several files with one progress bar.

use std::path::PathBuf;
use std::sync::Arc;

use hindsight_ingest::{FileReport, ImportOptions, import_file};
use hindsight_store::Store;

use crate::error::Result;
use crate::progress::Progress;

/// What an ingest run did, per file and in total.
#[derive(Debug, Clone)]
pub struct IngestSummary {
    /// One report per file, in the order given.
    pub files: Vec<FileReport>,
}

impl IngestSummary {
    /// Records accepted across files.
    pub fn accepted(&self) -> u64 {
        self.files.iter().map(|file| file.accepted).sum()
    }
    /// Records rejected across files.
    pub fn rejected(&self) -> u64 {
        self.files.iter().map(|file| file.rejected).sum()
    }
    /// Records new or changed in the store.
    pub fn written(&self) -> u64 {
        self.files.iter().map(|file| file.written).sum()
    }
    /// Records identical to what was stored.
    pub fn unchanged(&self) -> u64 {
        self.files.iter().map(|file| file.unchanged).sum()
    }
    /// True when any file had any problem.
    pub fn has_problems(&self) -> bool {
        self.files.iter().any(|file| !file.is_clean())
    }
}

/// Imports `paths` in order into `store`, reporting bytes read over all files to `progress`.
///
/// A file that cannot be read at all stops the run with an error; a file with bad records does
/// not: its report lists them and the next file is imported.
pub async fn ingest_files(
    store: Arc<dyn Store>,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: Arc<dyn Progress>,
) -> Result<IngestSummary> {
    let total: u64 = paths.iter().filter_map(|path| std::fs::metadata(path).ok()).map(|metadata| metadata.len()).sum();
    progress.start("ingesting", total);
    let mut done_before = 0u64;
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let file_progress = {
            let progress = progress.clone();
            Arc::new(move |bytes: u64| progress.set(done_before + bytes))
        };
        let report = import_file(store.clone(), path, options, file_progress).await?;
        done_before += std::fs::metadata(path).map(|metadata| metadata.len()).unwrap_or(0);
        progress.set(done_before);
        files.push(report);
    }
    progress.finish();
    Ok(IngestSummary { files })
}
