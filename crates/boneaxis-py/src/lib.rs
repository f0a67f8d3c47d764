//! `boneaxis._core`: the Rust extension behind the Python package `boneaxis`.
//!
//! Thin bindings over the science crate; the typed package in `python/boneaxis` turns what
//! they return into pandas DataFrames. Scenarios cross as TOML text with a label for error
//! messages; results cross as numpy columns (strings as categorical codes). Simulations run with
//! the GIL released. See `docs/python.md`.

mod clinical;
mod columns;
mod errors;
mod export;
mod population;
mod scenarios;
mod sensitivity;

use pyo3::prelude::*;

/// Converts a science-crate error to its Python exception.
pub(crate) fn py_err(e: impl Into<boneaxis::Error>) -> PyErr {
    errors::to_py(e.into())
}

/// A scenario from its text; `source` names it in error messages.
pub(crate) fn study_of(text: &str, source: &str) -> PyResult<boneaxis::simulate::Study> {
    boneaxis::scenario::load_str(text, source).map_err(py_err)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    scenarios::register(m)?;
    population::register(m)?;
    sensitivity::register(m)?;
    clinical::register(m)?;
    export::register(m)?;
    Ok(())
}
