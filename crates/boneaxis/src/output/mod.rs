//! Results as tables and files: the end-of-study summary, long-format CSV and JSON.
//!
//! Long format has one row per (arm, time, readout): `scenario, arm, time, time_unit, variable,
//! value, unit`, with time in days since the start of the study.

use crate::simulate::{ArmResult, ReadoutInfo, StudyResult};
use crate::units::human_duration;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// One row of the long-format table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row<'a> {
    pub scenario: &'a str,
    pub arm: &'a str,
    pub time: f64,
    pub time_unit: &'static str,
    pub variable: &'a str,
    pub value: f64,
    pub unit: &'a str,
}

/// The long-format rows of one arm.
pub fn arm_rows<'a>(
    scenario: &'a str,
    readouts: &'a [ReadoutInfo],
    arm: &'a ArmResult,
) -> impl Iterator<Item = Row<'a>> + 'a {
    arm.times.iter().enumerate().flat_map(move |(i, &t)| {
        readouts.iter().enumerate().map(move |(r, info)| Row {
            scenario,
            arm: &arm.name,
            time: t,
            time_unit: "day",
            variable: &info.name,
            value: arm.values[r][i],
            unit: &info.unit,
        })
    })
}

pub const CSV_HEADER: &str = "scenario,arm,time,time_unit,variable,value,unit";

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Appends one arm's rows to a CSV writer.
pub fn write_csv_rows(
    w: &mut impl Write,
    scenario: &str,
    readouts: &[ReadoutInfo],
    arm: &ArmResult,
) -> std::io::Result<()> {
    for row in arm_rows(scenario, readouts, arm) {
        writeln!(
            w,
            "{},{},{},{},{},{},{}",
            csv_field(row.scenario),
            csv_field(row.arm),
            row.time,
            row.time_unit,
            csv_field(row.variable),
            row.value,
            csv_field(row.unit)
        )?;
    }
    Ok(())
}

/// Writes the whole study as long-format CSV.
pub fn write_csv(result: &StudyResult, path: &Path) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "{CSV_HEADER}")?;
    for arm in &result.arms {
        write_csv_rows(&mut w, &result.name, &result.readouts, arm)?;
    }
    w.flush()
}

/// Writes the whole study as a JSON array of long-format rows.
pub fn write_json(result: &StudyResult, path: &Path) -> std::io::Result<()> {
    let rows: Vec<Row> = result
        .arms
        .iter()
        .flat_map(|a| arm_rows(&result.name, &result.readouts, a))
        .collect();
    let w = std::io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer_pretty(w, &rows).map_err(std::io::Error::other)
}

/// A number with about four significant digits, without needless zeros.
pub fn format_value(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = v.abs().log10().floor() as i32;
    if !(-3..6).contains(&magnitude) {
        return format!("{v:.3e}");
    }
    let decimals = (3 - magnitude).max(0) as usize;
    format!("{v:.decimals$}")
}

/// The end-of-study table: one row per readout, one column per arm, with the change relative
/// to the control arm.
pub fn summary_table(result: &StudyResult) -> String {
    let control = &result.arms[result.control];
    let mut header = vec!["readout".to_string(), "unit".to_string()];
    header.extend(result.arms.iter().map(|a| a.name.clone()));
    let mut rows = vec![header];
    for (r, info) in result.readouts.iter().enumerate() {
        let base = control.final_value(r);
        let mut row = vec![info.name.clone(), info.unit.clone()];
        for (k, arm) in result.arms.iter().enumerate() {
            let v = arm.final_value(r);
            let cell = if k == result.control || base.abs() < 1e-12 {
                format_value(v)
            } else {
                format!("{} ({:+.1}%)", format_value(v), 100.0 * (v - base) / base)
            };
            row.push(cell);
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} {}, {} at start, {} (end-of-study values; % vs `{}`)",
        result.title,
        result.sex,
        result.species,
        human_duration(result.start_age_days),
        human_duration(result.duration_days),
        control.name
    );
    for (i, row) in rows.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let pad = widths[c] - cell.chars().count();
                if c < 2 {
                    format!("{cell}{}", " ".repeat(pad))
                } else {
                    format!("{}{cell}", " ".repeat(pad))
                }
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            let _ = writeln!(out, "{}", rule.join("  "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_have_four_significant_digits() {
        assert_eq!(format_value(9.74061), "9.741");
        assert_eq!(format_value(1057.32), "1057");
        assert_eq!(format_value(0.0123456), "0.01235");
        assert_eq!(format_value(1.5e-7), "1.500e-7");
    }

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
