//! The named signals through which subsystems talk to each other.
//!
//! Each field is written by exactly one subsystem (its producer) and read by others. Values are
//! in canonical units (see `units`). `SIGNAL_DOCS` lists them for `boneaxis describe`.

use super::N_MOIETIES;
use crate::symbolic::Real;

/// Algebraic quantities computed from the state and the exposure at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signals<R = f64> {
    // --- age ---
    pub age_years: R,
    /// Body mass, kg.
    pub body_weight: R,
    /// Muscle strength relative to the adult peak (falls from midlife).
    pub muscle_strength: R,
    /// Skeletal load relative to the adult reference: body weight / adult body weight, with the
    /// muscle-borne share scaled by muscle strength.
    pub mechanical_load: R,
    /// Skeletal growth activity: 1 at birth, 0 from skeletal maturity on.
    pub growth_activity: R,
    /// Osteoprogenitor recruitment capacity relative to the young adult (falls with senescence).
    pub recruitment_capacity: R,
    /// Oestrogen relative to a premenopausal / intact female (males: 1).
    pub estrogen: R,

    // --- pharmacology ---
    /// Total plasma concentration of each moiety, nM.
    pub plasma: [R; N_MOIETIES],
    pub sert_occupancy: R,
    pub net_occupancy: R,
    /// Σ [antagonist]/K_I at the β1-adrenergic receptor (dimensionless).
    pub beta1_antagonist_ratio: R,
    /// Σ [antagonist]/K_I at the β2-adrenergic receptor (dimensionless).
    pub beta2_antagonist_ratio: R,
    /// Fraction of gut tryptophan hydroxylase 1 blocked by inhibitors.
    pub tph1_inhibition: R,
    /// Σ [antagonist]/K_I at hypothalamic 5-HT2C receptors (dimensionless).
    pub htr2c_antagonist_ratio: R,

    // --- serotonin ---
    /// Duodenal Tph1 synthesis relative to wild type on a normal diet.
    pub gut_tph1_activity: R,
    /// Free (platelet-poor) plasma 5-HT, nM.
    pub free_plasma_5ht: R,
    /// Serum 5-HT as assays measure it (free + platelet content released on clotting), nM.
    pub serum_5ht: R,
    /// Synaptic 5-HT in the brain relative to baseline.
    pub brain_synaptic_5ht: R,
    /// Synaptic norepinephrine in the brain relative to baseline.
    pub brain_synaptic_ne: R,
    /// Bone-local Tph1 synthesis (osteoclast lineage) relative to wild type on a normal diet.
    pub bone_tph1_activity: R,
    /// Extracellular 5-HT in bone marrow, nM.
    pub bone_5ht: R,
    pub htr1b_occupancy: R,
    pub htr2b_occupancy: R,

    // --- mood ---
    /// Monoaminergic drive that antidepressant adaptation integrates.
    pub monoamine_drive: R,
    /// Fraction of the depressive drive relieved by antidepressant adaptation.
    pub antidepressant_relief: R,

    // --- sympathetic ---
    /// Sympathetic outflow relative to baseline.
    pub sympathetic_outflow: R,
    /// Norepinephrine in bone, nM.
    pub bone_norepinephrine: R,
    pub beta1_occupancy: R,
    pub beta2_occupancy: R,

    // --- HPA axis ---
    /// Corticosterone (rodents) or cortisol (human), total plasma, nM.
    pub glucocorticoid: R,
    pub gr_occupancy: R,

    // --- other pathways ---
    /// Inflammatory cytokines (IL-1, IL-6, TNF-α) relative to baseline.
    pub cytokines: R,
    /// Parathyroid hormone relative to baseline.
    pub pth_production: R,

    // --- drive of the bone cell model (multipliers, 1 at reference) ---
    pub drive: BoneDrive<R>,
}

impl<R: Copy> Signals<R> {
    /// Every scalar signal with its name (`drive.*` for the bone drive); drug levels are
    /// inputs and not listed. Export names the equations after these.
    pub fn named(&self) -> Vec<(&'static str, R)> {
        vec![
            ("age_years", self.age_years),
            ("body_weight", self.body_weight),
            ("muscle_strength", self.muscle_strength),
            ("mechanical_load", self.mechanical_load),
            ("growth_activity", self.growth_activity),
            ("recruitment_capacity", self.recruitment_capacity),
            ("estrogen", self.estrogen),
            ("sert_occupancy", self.sert_occupancy),
            ("net_occupancy", self.net_occupancy),
            ("beta1_antagonist_ratio", self.beta1_antagonist_ratio),
            ("beta2_antagonist_ratio", self.beta2_antagonist_ratio),
            ("tph1_inhibition", self.tph1_inhibition),
            ("htr2c_antagonist_ratio", self.htr2c_antagonist_ratio),
            ("gut_tph1_activity", self.gut_tph1_activity),
            ("free_plasma_5ht", self.free_plasma_5ht),
            ("serum_5ht", self.serum_5ht),
            ("brain_synaptic_5ht", self.brain_synaptic_5ht),
            ("brain_synaptic_ne", self.brain_synaptic_ne),
            ("bone_tph1_activity", self.bone_tph1_activity),
            ("bone_5ht", self.bone_5ht),
            ("htr1b_occupancy", self.htr1b_occupancy),
            ("htr2b_occupancy", self.htr2b_occupancy),
            ("monoamine_drive", self.monoamine_drive),
            ("antidepressant_relief", self.antidepressant_relief),
            ("sympathetic_outflow", self.sympathetic_outflow),
            ("bone_norepinephrine", self.bone_norepinephrine),
            ("beta1_occupancy", self.beta1_occupancy),
            ("beta2_occupancy", self.beta2_occupancy),
            ("glucocorticoid", self.glucocorticoid),
            ("gr_occupancy", self.gr_occupancy),
            ("cytokines", self.cytokines),
            ("pth_production", self.pth_production),
            ("drive.recruitment", self.drive.recruitment),
            ("drive.proliferation", self.drive.proliferation),
            ("drive.proliferation_share", self.drive.proliferation_share),
            ("drive.differentiation", self.drive.differentiation),
            (
                "drive.osteoblast_apoptosis",
                self.drive.osteoblast_apoptosis,
            ),
            ("drive.rankl", self.drive.rankl),
            ("drive.opg", self.drive.opg),
            (
                "drive.osteoclast_precursors",
                self.drive.osteoclast_precursors,
            ),
            (
                "drive.osteoclast_apoptosis",
                self.drive.osteoclast_apoptosis,
            ),
            ("drive.turnover", self.drive.turnover),
            ("drive.pth", self.drive.pth),
        ]
    }
}

// Every signal zero and the drive neutral (a derive would not know the drive's neutral value).
impl<R: Real> Default for Signals<R> {
    fn default() -> Self {
        let zero = R::constant(0.0);
        Signals {
            age_years: zero,
            body_weight: zero,
            muscle_strength: zero,
            mechanical_load: zero,
            growth_activity: zero,
            recruitment_capacity: zero,
            estrogen: zero,
            plasma: [zero; N_MOIETIES],
            sert_occupancy: zero,
            net_occupancy: zero,
            beta1_antagonist_ratio: zero,
            beta2_antagonist_ratio: zero,
            tph1_inhibition: zero,
            htr2c_antagonist_ratio: zero,
            gut_tph1_activity: zero,
            bone_tph1_activity: zero,
            free_plasma_5ht: zero,
            serum_5ht: zero,
            brain_synaptic_5ht: zero,
            brain_synaptic_ne: zero,
            bone_5ht: zero,
            htr1b_occupancy: zero,
            htr2b_occupancy: zero,
            monoamine_drive: zero,
            antidepressant_relief: zero,
            sympathetic_outflow: zero,
            bone_norepinephrine: zero,
            beta1_occupancy: zero,
            beta2_occupancy: zero,
            glucocorticoid: zero,
            gr_occupancy: zero,
            cytokines: zero,
            pth_production: zero,
            drive: BoneDrive::default(),
        }
    }
}

/// Multipliers on the rates of the bone cell model, shared by all skeletal sites.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoneDrive<R = f64> {
    /// Uncommitted → precursor osteoblast recruitment.
    pub recruitment: R,
    /// Precursor osteoblast proliferation.
    pub proliferation: R,
    /// Share of precursor supply that comes from proliferation at this age.
    pub proliferation_share: R,
    /// Precursor → active osteoblast differentiation.
    pub differentiation: R,
    /// Active osteoblast apoptosis.
    pub osteoblast_apoptosis: R,
    /// RANKL expression per precursor osteoblast.
    pub rankl: R,
    /// OPG expression per active osteoblast.
    pub opg: R,
    /// Osteoclast precursor supply.
    pub osteoclast_precursors: R,
    /// Active osteoclast apoptosis.
    pub osteoclast_apoptosis: R,
    /// Activation frequency of remodelling (young skeletons turn over faster); scales bone
    /// formation and resorption alike.
    pub turnover: R,
    /// PTH production.
    pub pth: R,
}

impl<R: Real> Default for BoneDrive<R> {
    fn default() -> Self {
        let one = R::constant(1.0);
        BoneDrive {
            recruitment: one,
            proliferation: one,
            proliferation_share: R::constant(0.0),
            differentiation: one,
            osteoblast_apoptosis: one,
            rankl: one,
            opg: one,
            osteoclast_precursors: one,
            osteoclast_apoptosis: one,
            turnover: one,
            pth: one,
        }
    }
}

pub struct SignalDoc {
    pub name: &'static str,
    pub unit: &'static str,
    pub producer: &'static str,
    pub consumers: &'static str,
    pub description: &'static str,
}

pub const SIGNAL_DOCS: &[SignalDoc] = &[
    SignalDoc {
        name: "age.body_weight",
        unit: "kg",
        producer: "age",
        consumers: "pharmacology (mg/kg doses, volumes), bone (load)",
        description: "body mass from the species growth curve",
    },
    SignalDoc {
        name: "age.muscle_strength",
        unit: "1",
        producer: "age",
        consumers: "age (skeletal load)",
        description: "muscle strength relative to the adult peak",
    },
    SignalDoc {
        name: "age.mechanical_load",
        unit: "1",
        producer: "age",
        consumers: "bone (mechanostat)",
        description: "skeletal load relative to the adult: body weight and muscle strength",
    },
    SignalDoc {
        name: "age.growth_activity",
        unit: "1",
        producer: "age",
        consumers: "bone (turnover, proliferation share)",
        description: "1 at birth, 0 at skeletal maturity",
    },
    SignalDoc {
        name: "age.recruitment_capacity",
        unit: "1",
        producer: "age",
        consumers: "bone (osteoblast recruitment)",
        description: "senescent decline of osteoprogenitor recruitment",
    },
    SignalDoc {
        name: "age.estrogen",
        unit: "1",
        producer: "age (menopause, ovariectomy, smoking)",
        consumers: "bone",
        description: "oestrogen relative to an intact premenopausal female",
    },
    SignalDoc {
        name: "pd.sert_occupancy",
        unit: "1",
        producer: "pharmacology",
        consumers: "serotonin (brain, platelets, bone)",
        description: "serotonin transporter occupancy by drugs",
    },
    SignalDoc {
        name: "pd.net_occupancy",
        unit: "1",
        producer: "pharmacology",
        consumers: "serotonin (brain NE), sympathetic (bone NE clearance)",
        description: "norepinephrine transporter occupancy by drugs",
    },
    SignalDoc {
        name: "pd.htr2c_antagonist_ratio",
        unit: "1",
        producer: "pharmacology",
        consumers: "sympathetic (hypothalamic 5-HT2C occupancy by 5-HT)",
        description: "Σ [antagonist]/K_I at hypothalamic 5-HT2C receptors",
    },
    SignalDoc {
        name: "pd.beta1_antagonist_ratio",
        unit: "1",
        producer: "pharmacology",
        consumers: "sympathetic (β1AR occupancy)",
        description: "Σ [antagonist]/K_I at the β1-adrenergic receptor",
    },
    SignalDoc {
        name: "pd.beta2_antagonist_ratio",
        unit: "1",
        producer: "pharmacology",
        consumers: "sympathetic (β2AR occupancy)",
        description: "Σ [antagonist]/K_I at the β2-adrenergic receptor",
    },
    SignalDoc {
        name: "pd.tph1_inhibition",
        unit: "1",
        producer: "pharmacology",
        consumers: "serotonin (gut synthesis)",
        description: "fraction of gut tryptophan hydroxylase 1 blocked (LP533401)",
    },
    SignalDoc {
        name: "serotonin.brain_synaptic_5ht",
        unit: "1",
        producer: "serotonin",
        consumers: "mood, sympathetic",
        description: "brain synaptic 5-HT relative to baseline (Tph2; does not cross to blood)",
    },
    SignalDoc {
        name: "serotonin.brain_synaptic_ne",
        unit: "1",
        producer: "serotonin",
        consumers: "mood, sympathetic",
        description: "brain synaptic norepinephrine relative to baseline",
    },
    SignalDoc {
        name: "serotonin.free_plasma_5ht",
        unit: "nM",
        producer: "serotonin",
        consumers: "serotonin (bone 5-HT)",
        description: "free plasma 5-HT from gut Tph1, cleared by platelets (SERT) and MAO",
    },
    SignalDoc {
        name: "serotonin.bone_5ht",
        unit: "nM",
        producer: "serotonin",
        consumers: "serotonin (5-HT1B, 5-HT2B)",
        description: "bone marrow 5-HT: local Tph1 plus plasma, cleared by bone-cell SERT",
    },
    SignalDoc {
        name: "serotonin.htr1b_occupancy",
        unit: "1",
        producer: "serotonin",
        consumers: "bone (precursor proliferation ↓)",
        description: "osteoblast 5-HT1B receptor occupancy",
    },
    SignalDoc {
        name: "serotonin.htr2b_occupancy",
        unit: "1",
        producer: "serotonin",
        consumers: "bone (recruitment and proliferation ↑)",
        description: "osteoblast 5-HT2B receptor occupancy",
    },
    SignalDoc {
        name: "mood.antidepressant_relief",
        unit: "1",
        producer: "mood",
        consumers: "mood",
        description: "fraction of the depressive drive relieved by antidepressant adaptation",
    },
    SignalDoc {
        name: "sympathetic.outflow",
        unit: "1",
        producer: "sympathetic",
        consumers: "sympathetic (bone NE)",
        description: "sympathetic outflow relative to baseline",
    },
    SignalDoc {
        name: "sympathetic.bone_norepinephrine",
        unit: "nM",
        producer: "sympathetic",
        consumers: "sympathetic (β1AR, β2AR)",
        description: "norepinephrine in bone; cleared by NET",
    },
    SignalDoc {
        name: "sympathetic.beta1_occupancy",
        unit: "1",
        producer: "sympathetic",
        consumers: "bone (proliferation ↑)",
        description: "osteoblast β1-adrenergic receptor occupancy by norepinephrine",
    },
    SignalDoc {
        name: "sympathetic.beta2_occupancy",
        unit: "1",
        producer: "sympathetic",
        consumers: "bone (proliferation ↓, RANKL ↑)",
        description: "osteoblast β2-adrenergic receptor occupancy by norepinephrine",
    },
    SignalDoc {
        name: "hpa.glucocorticoid",
        unit: "nM",
        producer: "hpa",
        consumers: "hpa (GR)",
        description: "corticosterone (rodents) or cortisol (human)",
    },
    SignalDoc {
        name: "hpa.gr_occupancy",
        unit: "1",
        producer: "hpa",
        consumers: "bone (differentiation ↓, apoptosis ↑, RANKL/OPG ↑)",
        description: "glucocorticoid receptor occupancy",
    },
    SignalDoc {
        name: "pathways.cytokines",
        unit: "1",
        producer: "pathways",
        consumers: "bone (osteoclastogenesis ↑)",
        description: "IL-1, IL-6, TNF-α relative to baseline",
    },
    SignalDoc {
        name: "pathways.pth_production",
        unit: "1",
        producer: "pathways",
        consumers: "bone (RANKL ↑, OPG ↓)",
        description: "PTH production, raised by low calcium or vitamin D",
    },
];
