//! Species, sex and skeletal sites.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Species {
    Mouse,
    Rat,
    Human,
}

impl Species {
    pub const ALL: [Species; 3] = [Species::Mouse, Species::Rat, Species::Human];

    pub fn name(self) -> &'static str {
        match self {
            Species::Mouse => "mouse",
            Species::Rat => "rat",
            Species::Human => "human",
        }
    }

    pub fn is_rodent(self) -> bool {
        matches!(self, Species::Mouse | Species::Rat)
    }

    /// The skeletal sites simulated for this species.
    pub fn sites(self) -> &'static [Site] {
        match self {
            Species::Mouse | Species::Rat => &[Site::DistalFemur, Site::Vertebra],
            Species::Human => &[Site::LumbarSpine, Site::TotalHip, Site::FemoralNeck],
        }
    }

    /// The unit in which doses of this species are given in scenario files.
    pub fn doses_per_body_mass(self) -> bool {
        self.is_rodent()
    }
}

impl fmt::Display for Species {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    pub fn name(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A skeletal site with its own bone cell populations and bone volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Site {
    /// Rodent distal femoral metaphysis (trabecular, micro-CT).
    DistalFemur,
    /// Rodent lumbar vertebral body (trabecular, micro-CT).
    Vertebra,
    /// Human lumbar spine L1–L4 (DXA).
    LumbarSpine,
    /// Human total hip (DXA).
    TotalHip,
    /// Human femoral neck (DXA).
    FemoralNeck,
}

impl Site {
    /// The name used in readouts and parameter names (`bone.distal_femur.bv_tv`).
    pub fn key(self) -> &'static str {
        match self {
            Site::DistalFemur => "distal_femur",
            Site::Vertebra => "vertebra",
            Site::LumbarSpine => "lumbar_spine",
            Site::TotalHip => "total_hip",
            Site::FemoralNeck => "femoral_neck",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Site::DistalFemur => "distal femoral metaphysis",
            Site::Vertebra => "lumbar vertebral body",
            Site::LumbarSpine => "lumbar spine",
            Site::TotalHip => "total hip",
            Site::FemoralNeck => "femoral neck",
        }
    }
}
