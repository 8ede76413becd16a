//! What went wrong in a lesson file, where, and what to do about it.

use std::fmt;

/// One problem in a lesson file: `lessons/01-fold.md:12: <what is wrong>; <what to do>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file, as the caller named it.
    pub file: String,
    /// The 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every problem found, in file and line order; never empty when returned as an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl Errors {
    /// Records a problem at a line of a file.
    pub fn at(&mut self, file: &str, line: usize, message: impl Into<String>) {
        self.push(file, Some(line), message);
    }

    /// Records a problem with a whole file.
    pub fn in_file(&mut self, file: &str, message: impl Into<String>) {
        self.push(file, None, message);
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Errors) {
        self.0.extend(other.0);
    }

    /// `Ok(value)` when nothing was recorded, else the problems sorted by file and line.
    pub fn or_ok<T>(mut self, value: T) -> Result<T, Errors> {
        if self.0.is_empty() {
            return Ok(value);
        }
        // Stable sort: problems on one line stay in the order they were found.
        self.0.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(self)
    }

    fn push(&mut self, file: &str, line: Option<usize>, message: impl Into<String>) {
        self.0.push(Error { file: file.to_string(), line, message: message.into() });
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, error) in self.0.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}
