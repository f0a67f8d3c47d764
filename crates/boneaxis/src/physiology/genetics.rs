//! Genetic interventions: knockouts as expression factors (1 = wild type, 0 = null).
//!
//! A knockout is present from conception, so it shapes the baseline an arm starts from (the
//! developmental pre-run) as well as the response to interventions.

use serde::{Deserialize, Serialize};

/// The knockouts a scenario can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Knockout {
    /// Gut-specific (enterochromaffin, Villin-Cre) Tph1 deletion.
    Tph1Gut,
    /// Global Tph1 deletion: gut and bone-local synthesis.
    Tph1Global,
    /// Tph2 deletion: no brain serotonin synthesis.
    Tph2,
    /// Osteoblast-specific 5-HT1B receptor (Htr1b) deletion.
    Htr1bOsteoblast,
    /// Global 5-HT2B receptor (Htr2b) deletion.
    Htr2b,
    /// Serotonin transporter (Slc6a4, 5-HTT) deletion, everywhere.
    Slc6a4,
    /// Lrp5 deletion (loss of the brake on duodenal Tph1).
    Lrp5,
    /// β2-adrenergic receptor (Adrb2) deletion.
    Adrb2,
    /// Leptin deficiency (ob/ob).
    LeptinOb,
}

impl Knockout {
    pub const ALL: [Knockout; 9] = [
        Knockout::Tph1Gut,
        Knockout::Tph1Global,
        Knockout::Tph2,
        Knockout::Htr1bOsteoblast,
        Knockout::Htr2b,
        Knockout::Slc6a4,
        Knockout::Lrp5,
        Knockout::Adrb2,
        Knockout::LeptinOb,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Knockout::Tph1Gut => "tph1_gut",
            Knockout::Tph1Global => "tph1_global",
            Knockout::Tph2 => "tph2",
            Knockout::Htr1bOsteoblast => "htr1b_osteoblast",
            Knockout::Htr2b => "htr2b",
            Knockout::Slc6a4 => "slc6a4",
            Knockout::Lrp5 => "lrp5",
            Knockout::Adrb2 => "adrb2",
            Knockout::LeptinOb => "leptin_ob",
        }
    }

    pub fn from_key(key: &str) -> Option<Knockout> {
        Knockout::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Where the knockout acts, for `boneaxis describe`.
    pub fn acts_on(self) -> &'static str {
        match self {
            Knockout::Tph1Gut => {
                "gut enterochromaffin 5-HT synthesis → free plasma and platelet 5-HT"
            }
            Knockout::Tph1Global => "gut and bone-local 5-HT synthesis",
            Knockout::Tph2 => "brain 5-HT synthesis → mood and sympathetic outflow",
            Knockout::Htr1bOsteoblast => "osteoblast 5-HT1B signalling → precursor proliferation",
            Knockout::Htr2b => "5-HT2B signalling → osteoblast recruitment and proliferation",
            Knockout::Slc6a4 => "5-HT reuptake in brain, platelets and bone",
            Knockout::Lrp5 => "repression of duodenal Tph1 → gut 5-HT synthesis",
            Knockout::Adrb2 => "osteoblast β2-adrenergic signalling",
            Knockout::LeptinOb => "leptin's brake on brainstem 5-HT synthesis",
        }
    }
}

/// Expression or activity of each gene product relative to wild type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Genotype {
    pub tph1_gut: f64,
    pub tph1_bone: f64,
    pub tph2: f64,
    pub sert: f64,
    pub htr1b_osteoblast: f64,
    pub htr2b: f64,
    pub lrp5: f64,
    pub adrb2: f64,
    pub leptin: f64,
}

impl Default for Genotype {
    fn default() -> Self {
        Genotype::wild_type()
    }
}

impl Genotype {
    pub fn wild_type() -> Genotype {
        Genotype {
            tph1_gut: 1.0,
            tph1_bone: 1.0,
            tph2: 1.0,
            sert: 1.0,
            htr1b_osteoblast: 1.0,
            htr2b: 1.0,
            lrp5: 1.0,
            adrb2: 1.0,
            leptin: 1.0,
        }
    }

    pub fn with_knockouts(knockouts: &[Knockout]) -> Genotype {
        let mut g = Genotype::wild_type();
        for k in knockouts {
            match k {
                Knockout::Tph1Gut => g.tph1_gut = 0.0,
                Knockout::Tph1Global => {
                    g.tph1_gut = 0.0;
                    g.tph1_bone = 0.0;
                }
                Knockout::Tph2 => g.tph2 = 0.0,
                Knockout::Htr1bOsteoblast => g.htr1b_osteoblast = 0.0,
                Knockout::Htr2b => g.htr2b = 0.0,
                Knockout::Slc6a4 => g.sert = 0.0,
                Knockout::Lrp5 => g.lrp5 = 0.0,
                Knockout::Adrb2 => g.adrb2 = 0.0,
                Knockout::LeptinOb => g.leptin = 0.0,
            }
        }
        g
    }
}
