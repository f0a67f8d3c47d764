//! SVG time courses: one figure per readout, arms overlaid, units on the axes.

use boneaxis::simulate::StudyResult;
use boneaxis::units::days_per_year;
use plotters::prelude::*;
use std::path::Path;

pub const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// The time unit that reads best for a study of this length: (name, days per unit).
fn time_axis(duration_days: f64) -> (&'static str, f64) {
    if duration_days > 3.0 * days_per_year() {
        ("years", days_per_year())
    } else if duration_days > 120.0 {
        ("weeks", 7.0)
    } else {
        ("days", 1.0)
    }
}

fn draw_error<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// Draws every readout that has finite values; returns the number of files written.
/// Non-finite values are left out of the curves (the CLI warns about them).
pub fn time_courses(result: &StudyResult, dir: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut written = 0;
    for (r, info) in result.readouts.iter().enumerate() {
        if time_course(result, r, &dir.join(format!("{}.svg", info.name)))? {
            written += 1;
        }
    }
    Ok(written)
}

/// The time course of readout `r` in every arm; false if it has no finite value.
pub fn time_course(result: &StudyResult, r: usize, path: &Path) -> anyhow::Result<bool> {
    let (unit_name, days) = time_axis(result.duration_days);
    let x_max = result.duration_days / days;
    let info = &result.readouts[r];
    {
        let (lo, hi) = result
            .arms
            .iter()
            .flat_map(|a| a.values[r].iter().copied())
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if !lo.is_finite() {
            return Ok(false);
        }
        let root = SVGBackend::new(path, (720, 440)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let pad = ((hi - lo).abs() * 0.08).max(hi.abs() * 1e-3).max(1e-12);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{} — {}", info.name, result.title),
                ("sans-serif", 16),
            )
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..x_max, (lo - pad)..(hi + pad))
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc(format!("time since start ({unit_name})"))
            .y_desc(format!("{} ({})", info.description, info.unit))
            .draw()
            .map_err(draw_error)?;
        for (k, arm) in result.arms.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let points = arm
                .times
                .iter()
                .zip(&arm.values[r])
                .filter(|(_, v)| v.is_finite())
                .map(|(t, v)| (t / days, *v));
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(draw_error)?
                .label(arm.name.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(true)
}

/// One panel per observation: the published value or range (grey, with its band) beside the
/// simulated value (blue). Returns false when no observation has anything to draw.
pub fn case_figure(result: &boneaxis::validation::CaseResult, path: &Path) -> anyhow::Result<bool> {
    let panels: Vec<_> = result
        .case
        .observations
        .iter()
        .zip(&result.observations)
        .filter(|(_, r)| r.simulated.is_some())
        .collect();
    if panels.is_empty() {
        return Ok(false);
    }
    let columns = panels.len().min(4);
    let rows = panels.len().div_ceil(columns);
    let root = SVGBackend::new(path, (220 * columns as u32, 230 * rows as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(draw_error)?;
    let areas = root.split_evenly((rows, columns));
    for ((o, r), area) in panels.iter().zip(areas.iter()) {
        let simulated = r.simulated.unwrap_or(0.0);
        let published = o.observed.or(o.range.map(|[lo, hi]| 0.5 * (lo + hi)));
        let mut values = vec![0.0, simulated];
        values.extend(published);
        if let Some([lo, hi]) = o.range {
            values.extend([lo, hi]);
        }
        let (lo, hi) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
        let pad = ((hi - lo) * 0.12).max(1e-9);
        let unit = if o.unit == "1" {
            String::new()
        } else {
            format!(" ({})", o.unit)
        };
        let verdict = r.verdict.label();
        let mut chart = ChartBuilder::on(area)
            .caption(format!("{} — {verdict}", o.id), ("sans-serif", 13))
            .margin(6)
            .x_label_area_size(22)
            .y_label_area_size(48)
            .build_cartesian_2d(0.0..2.0, (lo - pad)..(hi + pad))
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_desc(unit.trim().trim_matches(|c| c == '(' || c == ')'))
            .draw()
            .map_err(draw_error)?;
        let grey = RGBColor(150, 150, 150);
        let blue = RGBColor(31, 119, 180);
        if let Some(p) = published {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.2, 0.0), (0.8, p)],
                    grey.filled(),
                )))
                .map_err(draw_error)?;
        }
        if let Some([a, b]) = o.range {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.5, a), (0.5, b)],
                    BLACK.stroke_width(2),
                )))
                .map_err(draw_error)?;
        }
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(1.2, 0.0), (1.8, simulated)],
                blue.filled(),
            )))
            .map_err(draw_error)?;
        chart
            .draw_series([
                Text::new("published", (0.15, lo - pad * 0.6), ("sans-serif", 11)),
                Text::new("model", (1.3, lo - pad * 0.6), ("sans-serif", 11)),
            ])
            .map_err(draw_error)?;
    }
    root.present().map_err(draw_error)?;
    Ok(true)
}

/// A case's time course, when the publication reports one: the first readout observed at two or
/// more times or over an interval (rates, half-lives). False if the case has none.
pub fn case_time_course(
    result: &boneaxis::validation::CaseResult,
    path: &Path,
) -> anyhow::Result<bool> {
    use boneaxis::validation::Measure;
    let Some(study) = &result.study else {
        return Ok(false);
    };
    let obs = &result.case.observations;
    let over_time = obs.iter().find(|o| {
        o.pending.is_none()
            && (matches!(
                o.measure,
                Measure::RatePerYear
                    | Measure::RateDifference
                    | Measure::SlopePerYear
                    | Measure::ChangeOverTime
                    | Measure::EffectChange
                    | Measure::HalfLife
            ) || obs
                .iter()
                .any(|p| p.readout == o.readout && (p.at - o.at).abs() > 1e-9))
    });
    match over_time.and_then(|o| study.readout_index(&o.readout)) {
        Some(r) => time_course(study, r, path),
        None => Ok(false),
    }
}
