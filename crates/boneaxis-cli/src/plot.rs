//! SVG time courses: one figure per readout, arms overlaid, units on the axes.

use boneaxis::simulate::StudyResult;
use boneaxis::units::days_per_year;
use plotters::prelude::*;
use std::path::Path;

const PALETTE: [RGBColor; 8] = [
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
    let (unit_name, days) = time_axis(result.duration_days);
    let x_max = result.duration_days / days;
    let mut written = 0;
    for (r, info) in result.readouts.iter().enumerate() {
        let (lo, hi) = result
            .arms
            .iter()
            .flat_map(|a| a.values[r].iter().copied())
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if !lo.is_finite() {
            continue;
        }
        let path = dir.join(format!("{}.svg", info.name));
        let root = SVGBackend::new(&path, (720, 440)).into_drawing_area();
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
        written += 1;
    }
    Ok(written)
}
