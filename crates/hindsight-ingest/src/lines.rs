//! Reading lines of any length in bounded memory.
//!
//! `BufRead::read_until` would happily grow its buffer to the size of a 5 GB line. This reader
//! keeps at most `max_bytes` of a line; a longer line is skipped to its end and reported by its
//! length, so memory stays flat whatever the input.

use std::io::{self, BufRead};

/// What the next read found.
pub(crate) enum LineEvent<'a> {
    /// A line (without its `\n` or `\r\n`).
    Line {
        /// 1-based line number.
        number: u64,
        /// The bytes, not yet checked for UTF-8.
        bytes: &'a [u8],
        /// False for a last line with no final newline (a sign of truncation).
        ended_with_newline: bool,
    },
    /// A line longer than the limit, skipped.
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
    buffer: Vec<u8>,
    number: u64,
    max_bytes: usize,
    bytes_read: u64,
}

/// After an oversized line the buffer is shrunk back to this, so one huge line does not pin its
/// memory for the rest of the file.
const RETAINED_CAPACITY: usize = 1 << 20;

impl<R: BufRead> LineReader<R> {
    pub(crate) fn new(reader: R, max_bytes: usize) -> Self {
        LineReader { reader, buffer: Vec::with_capacity(64 * 1024), number: 0, max_bytes, bytes_read: 0 }
    }

    /// Bytes consumed so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    pub(crate) fn next_line(&mut self) -> io::Result<LineEvent<'_>> {
        self.buffer.clear();
        if self.buffer.capacity() > RETAINED_CAPACITY.max(self.max_bytes.min(RETAINED_CAPACITY)) {
            self.buffer.shrink_to(RETAINED_CAPACITY);
        }
        let mut length: u64 = 0;
        let mut oversized = false;
        let mut ended_with_newline = false;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                break;
            }
            let (chunk_length, found_newline) = match available.iter().position(|byte| *byte == b'\n') {
                Some(index) => (index, true),
                None => (available.len(), false),
            };
            if !oversized {
                if self.buffer.len() + chunk_length > self.max_bytes {
                    oversized = true;
                    self.buffer.clear();
                } else {
                    self.buffer.extend_from_slice(&available[..chunk_length]);
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
        if self.buffer.last() == Some(&b'\r') {
            self.buffer.pop();
        }
        Ok(LineEvent::Line { number: self.number, bytes: &self.buffer, ended_with_newline })
    }
}

#[cfg(test)]
mod tests {
    use super::{LineEvent, LineReader};

    fn read_all(input: &[u8], max: usize) -> Vec<String> {
        let mut reader = LineReader::new(std::io::BufReader::with_capacity(8, input), max);
        let mut out = Vec::new();
        loop {
            match reader.next_line().expect("in-memory read") {
                LineEvent::Line { number, bytes, ended_with_newline } => out.push(format!(
                    "{number}:{}{}",
                    String::from_utf8_lossy(bytes),
                    if ended_with_newline { "" } else { " (no newline)" }
                )),
                LineEvent::Oversized { number, length } => out.push(format!("{number}: oversized {length}")),
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
