//! WHO densitometric categories (WHO Technical Report Series 843, 1994; brief D1).
//!
//! normal: T ≥ −1; osteopenia (low bone mass): −2.5 < T < −1; osteoporosis: T ≤ −2.5.

use serde::Serialize;

pub const VERSION: &str = "who_category/1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WhoCategory {
    Normal,
    Osteopenia,
    Osteoporosis,
}

impl WhoCategory {
    pub fn of_t_score(t: f64) -> WhoCategory {
        if t <= -2.5 {
            WhoCategory::Osteoporosis
        } else if t < -1.0 {
            WhoCategory::Osteopenia
        } else {
            WhoCategory::Normal
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            WhoCategory::Normal => "normal",
            WhoCategory::Osteopenia => "osteopenia",
            WhoCategory::Osteoporosis => "osteoporosis",
        }
    }
}
