//! The simulated arms of a patient what-if, written as a boneaxis scenario so the person's
//! protocol goes through exactly the validation and engine every scenario does.
//!
//! Time runs from the start of the simulation; "now" is `now_days` into it, late enough for an
//! episode of depression that has already lasted, or a course already being taken, to have
//! started. Every sample is a whole week.

use super::spec::{Alternative, Course};
use super::Patient;
use crate::species::Sex;
use crate::units::days_per_year;
use std::fmt::Write;

pub const SAMPLE_DAYS: f64 = 7.0;

pub const READOUTS: [&str; 5] = [
    "bone.femoral_neck.bmd",
    "bone.total_hip.bmd",
    "bone.lumbar_spine.bmd",
    "mood.depressive_state",
    "pd.sert_occupancy",
];

/// A course as placed on the simulation's clock (days since its start).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub course: Course,
    pub start: f64,
    pub stop: Option<f64>,
}

/// One arm: its label and the courses it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmPlan {
    pub key: String,
    pub label: String,
    /// The reference person (no depression, habits or drugs), for Z-scores.
    pub reference: bool,
    pub courses: Vec<Placed>,
}

/// The clock of the what-if, in days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    pub now: f64,
    pub end: f64,
}

fn whole_weeks(days: f64) -> f64 {
    (days / SAMPLE_DAYS).ceil() * SAMPLE_DAYS
}

pub fn clock(p: &Patient) -> Clock {
    let depression = if p.depression_severity > 0.0 {
        p.depression_years * days_per_year()
    } else {
        0.0
    };
    let course = p.drug.map_or(0.0, |c| (-c.start_days).max(0.0));
    let now = whole_weeks(depression.max(course));
    Clock {
        now,
        end: now + whole_weeks(p.years * days_per_year()),
    }
}

pub fn describe(c: &Course) -> String {
    format!("{} {} mg/day", c.drug.key(), c.mg_per_day)
}

/// The arms: reference person, no drug, the drug, then each alternative.
pub fn plans(p: &Patient, clock: Clock) -> Vec<ArmPlan> {
    let place = |course: Course, stop: Option<f64>| Placed {
        course,
        start: (clock.now + course.start_days).max(0.0),
        stop,
    };
    let mut arms = vec![
        ArmPlan {
            key: "reference".into(),
            label: "reference person of the same age and sex".into(),
            reference: true,
            courses: vec![],
        },
        ArmPlan {
            key: "no_drug".into(),
            label: "no drug".into(),
            reference: false,
            courses: vec![],
        },
    ];
    let Some(drug) = p.drug else {
        return arms;
    };
    arms.push(ArmPlan {
        key: "drug".into(),
        label: describe(&drug),
        reference: false,
        courses: vec![place(drug, None)],
    });
    let already = drug.start_days < 0.0;
    for (i, alternative) in p.alternatives.iter().enumerate() {
        let key = format!("alternative_{}", i + 1);
        let (label, courses) = match alternative {
            Alternative::Stop if already => {
                ("stop now".to_string(), vec![place(drug, Some(clock.now))])
            }
            Alternative::Stop => ("do not start".to_string(), vec![]),
            Alternative::Switch(other) => {
                let mut other = *other;
                if already {
                    other.start_days = 0.0;
                    let label = format!("switch to {}", describe(&other));
                    (
                        label,
                        vec![place(drug, Some(clock.now)), place(other, None)],
                    )
                } else {
                    other.start_days = drug.start_days;
                    (
                        format!("instead {}", describe(&other)),
                        vec![place(other, None)],
                    )
                }
            }
        };
        arms.push(ArmPlan {
            key,
            label,
            reference: false,
            courses,
        });
    }
    arms
}

/// The scenario text of the what-if.
pub fn scenario(p: &Patient, clock: Clock, arms: &[ArmPlan]) -> String {
    let start_age = p.age - clock.now / days_per_year();
    let mut s = String::new();
    let sex = match p.sex {
        Sex::Female => "female",
        Sex::Male => "male",
    };
    let _ = writeln!(
        s,
        "[scenario]\nname = \"patient\"\ntitle = \"boneaxis patient what-if\"\nspecies = \"human\"\n\
         sex = \"{sex}\"\nage = \"{start_age} years\"\nduration = \"{} days\"\ncontrol = \"reference\"\n",
        clock.end
    );
    let readouts: Vec<String> = READOUTS.iter().map(|r| format!("\"{r}\"")).collect();
    let _ = writeln!(
        s,
        "[output]\nevery = \"{SAMPLE_DAYS} days\"\nreadouts = [{}]\n",
        readouts.join(", ")
    );
    for arm in arms {
        let _ = writeln!(s, "[[arm]]\nname = \"{}\"", arm.key);
        if !arm.reference {
            person(&mut s, p, clock);
        }
        for c in &arm.courses {
            let _ = writeln!(
                s,
                "[[arm.drug]]\nname = \"{}\"\ndose = \"{} mg\"\nroute = \"oral\"\nevery = \"1 day\"\nstart = \"{} days\"",
                c.course.drug.key(),
                c.course.mg_per_day,
                c.start
            );
            if let Some(stop) = c.stop {
                let _ = writeln!(s, "stop = \"{stop} days\"");
            }
        }
        s.push('\n');
    }
    s
}

/// Depression and habits of the person (not of the reference).
fn person(s: &mut String, p: &Patient, clock: Clock) {
    if p.depression_severity > 0.0 {
        let start = (clock.now - p.depression_years * days_per_year()).max(0.0);
        let _ = writeln!(
            s,
            "[[arm.depression]]\nseverity = {}\nstart = \"{start} days\"",
            p.depression_severity
        );
    }
    if p.cigarettes_per_day > 0.0 {
        let _ = writeln!(
            s,
            "[[arm.smoking]]\ncigarettes_per_day = {}",
            p.cigarettes_per_day
        );
    }
    if p.alcohol_units_per_day > 0.0 {
        let _ = writeln!(
            s,
            "[[arm.alcohol]]\nunits_per_day = {}",
            p.alcohol_units_per_day
        );
    }
}
