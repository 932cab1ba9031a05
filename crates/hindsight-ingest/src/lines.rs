//! Reading lines of any length in bounded memory.
//!
//! `BufRead::read_until` would happily grow its buffer to the size of a 5 GB line. This reader
//! keeps at most `max_bytes` of a line; a longer line is skipped to its end and reported by its
//! length, so memory stays flat whatever the input.

use std::io::{self, BufRead};

/// What the next read found.
pub(crate) enum LineEvent {
    /// A line (without its `\n` or `\r\n`), appended to the caller's buffer from `start` on.
    Line {
        /// 1-based line number.
        number: u64,
        /// Where the line begins in the buffer; its bytes are not yet checked for UTF-8.
        start: usize,
        /// False for a last line with no final newline (a sign of truncation).
        ended_with_newline: bool,
    },
    /// A line longer than the limit, skipped (nothing of it is left in the buffer).
    Oversized {
        /// 1-based line number.
        number: u64,
        /// Its full length in bytes.
        length: u64,
    },
    /// End of input.
    End,
}

pub(crate) struct LineReader<R> {
    reader: R,
    number: u64,
    max_bytes: usize,
    bytes_read: u64,
}

impl<R: BufRead> LineReader<R> {
    pub(crate) fn new(reader: R, max_bytes: usize) -> Self {
        LineReader { reader, number: 0, max_bytes, bytes_read: 0 }
    }

    /// Bytes consumed so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Appends the next line to `buffer`. Lines go straight from the read buffer into the
    /// caller's (one buffer for many lines), so a line costs one copy and no allocation of its
    /// own: at a million 4 KB lines, per-line allocations were a visible share of ingest.
    pub(crate) fn append_next_line(&mut self, buffer: &mut Vec<u8>) -> io::Result<LineEvent> {
        let start = buffer.len();
        let mut length: u64 = 0;
        let mut oversized = false;
        let mut ended_with_newline = false;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                break;
            }
            let (chunk_length, found_newline) = match memchr::memchr(b'\n', available) {
                Some(index) => (index, true),
                None => (available.len(), false),
            };
            if !oversized {
                if buffer.len() - start + chunk_length > self.max_bytes {
                    oversized = true;
                    buffer.truncate(start);
                } else {
                    buffer.extend_from_slice(&available[..chunk_length]);
                }
            }
            length += chunk_length as u64;
            let consumed = chunk_length + usize::from(found_newline);
            self.reader.consume(consumed);
            self.bytes_read += consumed as u64;
            if found_newline {
                ended_with_newline = true;
                break;
            }
        }
        if length == 0 && !ended_with_newline {
            return Ok(LineEvent::End);
        }
        self.number += 1;
        if oversized {
            return Ok(LineEvent::Oversized { number: self.number, length });
        }
        if buffer.len() > start && buffer.last() == Some(&b'\r') {
            buffer.pop();
        }
        Ok(LineEvent::Line { number: self.number, start, ended_with_newline })
    }
}

#[cfg(test)]
mod tests {
    use super::{LineEvent, LineReader};

    fn read_all(input: &[u8], max: usize) -> Vec<String> {
        let mut reader = LineReader::new(std::io::BufReader::with_capacity(8, input), max);
        let mut out = Vec::new();
        // One buffer for every line, as the importer uses it: each line must start where the
        // previous one ended, and an oversized line must leave nothing behind.
        let mut buffer = b"earlier lines".to_vec();
        loop {
            let before = buffer.len();
            match reader.append_next_line(&mut buffer).expect("in-memory read") {
                LineEvent::Line { number, start, ended_with_newline } => out.push(format!(
                    "{number}:{}{}",
                    {
                        assert_eq!(start, before);
                        String::from_utf8_lossy(&buffer[start..])
                    },
                    if ended_with_newline { "" } else { " (no newline)" }
                )),
                LineEvent::Oversized { number, length } => {
                    assert_eq!(buffer.len(), before);
                    out.push(format!("{number}: oversized {length}"))
                }
                LineEvent::End => return out,
            }
        }
    }

    #[test]
    fn lines_longer_than_the_limit_are_skipped_by_length_and_the_next_line_still_reads() {
        let input = b"short\r\nthis line is far too long for the limit\nok\nlast";
        assert_eq!(read_all(input, 10), ["1:short", "2: oversized 39", "3:ok", "4:last (no newline)"]);
    }

    #[test]
    fn empty_lines_keep_their_numbers() {
        assert_eq!(read_all(b"\n\na\n", 10), ["1:", "2:", "3:a"]);
        assert!(read_all(b"", 10).is_empty());
    }
}
