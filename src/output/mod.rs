//! Output formats of `stabcert check`: text, JSON, JUnit.
