//! Published equations of the clinical layer, one per file.
//!
//! Each file holds one equation exactly as published (or as documented in `docs/clinical.md`
//! where the publication gives only a table), a `VERSION` that changes whenever its form or
//! constants change, and golden input→output vectors in `data/clinical/golden/<file>.toml`
//! that `tests/clinical.rs` checks. The constants themselves are catalog parameters
//! (`data/parameters/clinical.toml`), so each keeps its unit, source and kind.

pub mod competing_risk;
pub mod fall_rate;
pub mod gompertz;
pub mod gradient_of_risk;
pub mod odds_ratio;
pub mod steroid_risk;
pub mod t_score;
pub mod who_category;

/// The version of every equation, as reported with results.
pub const VERSIONS: [&str; 8] = [
    competing_risk::VERSION,
    fall_rate::VERSION,
    gompertz::VERSION,
    gradient_of_risk::VERSION,
    odds_ratio::VERSION,
    steroid_risk::VERSION,
    t_score::VERSION,
    who_category::VERSION,
];
