//! The one-page summary of `boneaxis patient --out`: the femoral-neck BMD trajectory of every
//! option and the probabilities at the last horizon as bars, as SVG or as HTML around the SVG.

use crate::plot::PALETTE;
use boneaxis::clinical::patient::PatientReport;
use plotters::prelude::*;
use std::path::Path;

fn draw_error<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the summary: {e:?}")
}

pub fn write(r: &PatientReport, path: &Path) -> anyhow::Result<()> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("svg") => std::fs::write(path, svg(r)?)?,
        Some("html") => std::fs::write(path, html(r)?)?,
        _ => anyhow::bail!(
            "--out {}: expected a file ending in .svg or .html",
            path.display()
        ),
    }
    Ok(())
}

fn html(r: &PatientReport) -> anyhow::Result<String> {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    Ok(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>boneaxis patient</title>\
         <style>body{{font-family:sans-serif;max-width:960px;margin:1em auto}}pre{{font-size:12px}}\
         .warn{{background:#fff3cd;padding:.5em}}</style></head><body>\n\
         <h1>boneaxis patient what-if</h1>\n<p class=\"warn\">{}</p>\n{}\n<pre>{}</pre>\n</body></html>\n",
        escape(r.disclaimer),
        svg(r)?,
        escape(&crate::patient::text(r))
    ))
}

fn svg(r: &PatientReport) -> anyhow::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (960, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let (left, right) = root.split_horizontally(540);
        trajectory(r, &left)?;
        bars(r, &right)?;
        root.present().map_err(draw_error)?;
    }
    Ok(out)
}

fn trajectory<DB: DrawingBackend>(
    r: &PatientReport,
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let values = r
        .options
        .iter()
        .flat_map(|o| o.trajectory.iter().map(|p| p.femoral_neck_bmd));
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(v), h.max(v))
    });
    let pad = ((hi - lo) * 0.1).max(0.005);
    let years = r.horizons.last().copied().unwrap_or(10.0);
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("Femoral-neck BMD, {} aged {}", r.sex, r.age),
            ("sans-serif", 16),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..years, (lo - pad)..(hi + pad))
        .map_err(draw_error)?;
    chart
        .configure_mesh()
        .x_desc("years from now")
        .y_desc("femoral-neck BMD (g/cm²)")
        .draw()
        .map_err(draw_error)?;
    for (k, o) in r.options.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let points = o.trajectory.iter().map(|p| (p.years, p.femoral_neck_bmd));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(draw_error)?
            .label(o.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(draw_error)?;
    Ok(())
}

fn bars<DB: DrawingBackend>(
    r: &PatientReport,
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let years = r.horizons.last().copied().unwrap_or(10.0);
    let n = r.options.len();
    let top = r
        .options
        .iter()
        .flat_map(|o| {
            [
                *o.hip.last().unwrap_or(&0.0),
                *o.major.last().unwrap_or(&0.0),
            ]
        })
        .fold(0.0_f64, f64::max)
        * 1.15
        + 0.5;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{years}-year fracture probability (%)"),
            ("sans-serif", 16),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(48)
        .build_cartesian_2d(0.0..2.0, 0.0..top)
        .map_err(draw_error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(5)
        .x_label_formatter(&|x: &f64| {
            if (x - 0.5).abs() < 0.1 {
                "hip".into()
            } else if (x - 1.5).abs() < 0.1 {
                "major osteoporotic".into()
            } else {
                String::new()
            }
        })
        .y_desc("probability (%)")
        .draw()
        .map_err(draw_error)?;
    let width = 0.8 / n as f64;
    for (k, o) in r.options.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        for (group, v) in [o.hip.last(), o.major.last()].into_iter().enumerate() {
            let x0 = group as f64 + 0.1 + k as f64 * width;
            let v = *v.unwrap_or(&0.0);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x0 + width * 0.9, v)],
                    color.filled(),
                )))
                .map_err(draw_error)?;
        }
    }
    Ok(())
}
