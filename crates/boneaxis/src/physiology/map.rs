//! The model map: which subsystem feeds which through named signals, and where each
//! intervention enters. `boneaxis describe` prints it; the web explorer draws it.

use super::signals::SIGNAL_DOCS;
use serde::Serialize;

/// The subsystems, in the order they are drawn (inputs first, bone last).
pub const SUBSYSTEMS: &[&str] = &[
    "age",
    "pharmacology",
    "mood",
    "serotonin",
    "sympathetic",
    "hpa",
    "pathways",
    "bone",
];

/// An intervention: where it enters the model and what it does there.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Intervention {
    pub name: &'static str,
    /// The subsystem it acts on first.
    pub enters: &'static str,
    pub acts: &'static str,
}

/// Every non-genetic intervention of the scenario format.
pub const INTERVENTIONS: &[Intervention] = &[
    Intervention {
        name: "stress (rodents)",
        enters: "mood",
        acts: "chronic mild stress → depressive state → sympathetic outflow, corticosterone",
    },
    Intervention {
        name: "depression (human)",
        enters: "mood",
        acts: "episode severity → depressive state → sympathetic outflow, cortisol",
    },
    Intervention {
        name: "drug: SSRIs",
        enters: "pharmacology",
        acts: "SERT occupancy → brain 5-HT (mood, sympathetic ↓), platelet 5-HT ↓, bone 5-HT ↑",
    },
    Intervention {
        name: "drug: imipramine",
        enters: "pharmacology",
        acts: "SERT and NET occupancy → brain 5-HT and NE (mood, α2 feedback), bone NE clearance ↓",
    },
    Intervention {
        name: "drug: propranolol",
        enters: "pharmacology",
        acts: "β2-adrenergic receptor blockade in bone",
    },
    Intervention {
        name: "drug: serotonin",
        enters: "serotonin",
        acts: "5-HT entering plasma → platelets, bone 5-HT",
    },
    Intervention {
        name: "drug: lp533401",
        enters: "pharmacology",
        acts: "gut Tph1 inhibition → less gut 5-HT → free plasma and bone 5-HT ↓",
    },
    Intervention {
        name: "diet: tryptophan",
        enters: "serotonin",
        acts: "Tph1 and Tph2 substrate → gut, bone and brain 5-HT, osteoclast autocrine 5-HT",
    },
    Intervention {
        name: "diet: calcium, vitamin D",
        enters: "pathways",
        acts: "PTH production → RANKL ↑, OPG ↓",
    },
    Intervention {
        name: "smoking",
        enters: "age",
        acts: "oestrogen ↓ (women), precursor proliferation ↓, RANKL ↑",
    },
    Intervention {
        name: "alcohol",
        enters: "bone",
        acts: "above the threshold: osteoblast proliferation and differentiation ↓",
    },
    Intervention {
        name: "inflammation",
        enters: "pathways",
        acts: "cytokines → osteoclast precursor supply ↑, RANKL ↑",
    },
    Intervention {
        name: "ovariectomy",
        enters: "age",
        acts: "oestrogen ↓ → RANKL ↑, OPG ↓, recruitment ↑, osteoclast apoptosis ↓",
    },
    Intervention {
        name: "pathway depression_cytokines",
        enters: "pathways",
        acts: "switch: depressive state → cytokines",
    },
    Intervention {
        name: "pathway depression_estrogen",
        enters: "pathways",
        acts: "switch: depressive state → oestrogen ↓ (women; reproductive-axis suppression)",
    },
    Intervention {
        name: "pathway bone_beta1",
        enters: "bone",
        acts: "switch: osteoblast β1AR occupancy → precursor proliferation ↑ (rodents)",
    },
];

/// One signal from one subsystem to another.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub signal: &'static str,
    pub from: String,
    pub to: String,
    /// What the signal does at its consumer, as documented.
    pub role: String,
}

/// The links of the model map, one per (signal, consumer), read from the signals' docs.
pub fn links() -> Vec<Link> {
    let mut out = Vec::new();
    for doc in SIGNAL_DOCS {
        let from = subsystem(doc.producer);
        for consumer in top_level_items(doc.consumers) {
            out.push(Link {
                signal: doc.name,
                from: from.clone(),
                to: subsystem(consumer),
                role: consumer.to_string(),
            });
        }
    }
    out
}

/// The subsystem named first in a producer or consumer description ("bone (load)" → "bone").
fn subsystem(described: &str) -> String {
    described
        .split([' ', '('])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Comma-separated items, ignoring commas inside parentheses.
fn top_level_items(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in list.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(list[start..].trim());
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every link and intervention names a known subsystem, so the drawn map has no loose ends.
    #[test]
    fn links_and_interventions_name_known_subsystems() {
        let links = links();
        assert!(links.len() >= SIGNAL_DOCS.len());
        for l in &links {
            assert!(SUBSYSTEMS.contains(&l.from.as_str()), "{l:?}");
            assert!(SUBSYSTEMS.contains(&l.to.as_str()), "{l:?}");
        }
        for i in INTERVENTIONS {
            assert!(SUBSYSTEMS.contains(&i.enters), "{i:?}");
        }
    }

    #[test]
    fn commas_inside_parentheses_do_not_split() {
        assert_eq!(
            top_level_items("pharmacology (mg/kg doses, volumes), bone (load)"),
            vec!["pharmacology (mg/kg doses, volumes)", "bone (load)"]
        );
    }
}
