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
    /// β1-adrenergic receptor (Adrb1) deletion.
    Adrb1,
    /// β2-adrenergic receptor (Adrb2) deletion.
    Adrb2,
    /// Leptin deficiency (ob/ob).
    LeptinOb,
}

impl Knockout {
    pub const ALL: [Knockout; 10] = [
        Knockout::Tph1Gut,
        Knockout::Tph1Global,
        Knockout::Tph2,
        Knockout::Htr1bOsteoblast,
        Knockout::Htr2b,
        Knockout::Slc6a4,
        Knockout::Lrp5,
        Knockout::Adrb1,
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
            Knockout::Adrb1 => "adrb1",
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
            Knockout::Adrb1 => "osteoblast β1-adrenergic signalling",
            Knockout::Adrb2 => "osteoblast β2-adrenergic signalling",
            Knockout::LeptinOb => "leptin's brake on brainstem 5-HT synthesis",
        }
    }
}

/// A gene product whose activity can differ from wild type by a factor (between people in a
/// population: `[[population.variability]] gene = ...`). The receptor effects it drives are
/// relative to the wild-type reference, as a knockout's are, so a person with more gut Tph1
/// has more serum 5-HT and less bone formation (Yadav 2008), where a parameter varied in the
/// same way would move that person's own reference with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gene {
    Tph1Gut,
    Tph1Bone,
    Tph2,
    Sert,
    Htr1bOsteoblast,
    Htr2b,
    Lrp5,
    Adrb1,
    Adrb2,
    Leptin,
}

impl Gene {
    pub const ALL: [Gene; 10] = [
        Gene::Tph1Gut,
        Gene::Tph1Bone,
        Gene::Tph2,
        Gene::Sert,
        Gene::Htr1bOsteoblast,
        Gene::Htr2b,
        Gene::Lrp5,
        Gene::Adrb1,
        Gene::Adrb2,
        Gene::Leptin,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Gene::Tph1Gut => "tph1_gut",
            Gene::Tph1Bone => "tph1_bone",
            Gene::Tph2 => "tph2",
            Gene::Sert => "sert",
            Gene::Htr1bOsteoblast => "htr1b_osteoblast",
            Gene::Htr2b => "htr2b",
            Gene::Lrp5 => "lrp5",
            Gene::Adrb1 => "adrb1",
            Gene::Adrb2 => "adrb2",
            Gene::Leptin => "leptin",
        }
    }

    pub fn from_key(key: &str) -> Option<Gene> {
        Gene::ALL.into_iter().find(|g| g.key() == key)
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
    pub adrb1: f64,
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
            adrb1: 1.0,
            adrb2: 1.0,
            leptin: 1.0,
        }
    }

    /// Multiplies the activity of one gene product (a knockout stays null).
    pub fn scale(&mut self, gene: Gene, factor: f64) {
        let g = match gene {
            Gene::Tph1Gut => &mut self.tph1_gut,
            Gene::Tph1Bone => &mut self.tph1_bone,
            Gene::Tph2 => &mut self.tph2,
            Gene::Sert => &mut self.sert,
            Gene::Htr1bOsteoblast => &mut self.htr1b_osteoblast,
            Gene::Htr2b => &mut self.htr2b,
            Gene::Lrp5 => &mut self.lrp5,
            Gene::Adrb1 => &mut self.adrb1,
            Gene::Adrb2 => &mut self.adrb2,
            Gene::Leptin => &mut self.leptin,
        };
        *g *= factor;
    }

    /// The genotype of an arm: its knockouts, then each gene product's activity scaled.
    pub fn of(knockouts: &[Knockout], expression: &[(Gene, f64)]) -> Genotype {
        let mut g = Genotype::with_knockouts(knockouts);
        for &(gene, factor) in expression {
            g.scale(gene, factor);
        }
        g
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
                Knockout::Adrb1 => g.adrb1 = 0.0,
                Knockout::Adrb2 => g.adrb2 = 0.0,
                Knockout::LeptinOb => g.leptin = 0.0,
            }
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_factors_scale_wild_type_and_leave_knockouts_null() {
        let g = Genotype::of(
            &[Knockout::Tph1Gut],
            &[(Gene::Tph1Gut, 2.0), (Gene::Sert, 0.5), (Gene::Sert, 0.5)],
        );
        assert_eq!(g.tph1_gut, 0.0);
        assert_eq!(g.sert, 0.25);
        assert_eq!(g.tph2, 1.0);
        for gene in Gene::ALL {
            assert_eq!(Gene::from_key(gene.key()), Some(gene));
        }
    }
}
