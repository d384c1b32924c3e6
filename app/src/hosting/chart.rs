//! The occupancy dashboard's trend, drawn on the server as SVG with plotters: it shows without
//! JavaScript and prints. The tables beside it carry the same figures for screen readers.
use super::model::MonthFigures;
use crate::i18n::{Locale, td_string};
use crate::labels;
use plotters::prelude::*;

const WIDTH: u32 = 720;
const HEIGHT: u32 = 280;
// One colour per kind, each dark enough on white (WCAG 3:1 for graphics), plus the m² line.
const COLOURS: [RGBColor; 4] = [
    RGBColor(0x1d, 0x6f, 0x42),
    RGBColor(0x24, 0x56, 0xa6),
    RGBColor(0x8a, 0x5a, 0x00),
    RGBColor(0x55, 0x55, 0x55),
];

fn percent(part_milli: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        // Thousandths over a whole, as a percentage: (part / 1000) / whole * 100.
        part_milli as f64 / whole as f64 / 10.0
    }
}

/// Occupancy per kind of unit, and of m², month by month, as an SVG document. Empty when there
/// is nothing to draw or drawing fails (logged): the tables still show every figure.
pub fn trend(months: &[MonthFigures], locale: Locale) -> String {
    if months.is_empty() {
        return String::new();
    }
    match draw(months, locale) {
        Ok(svg) => svg,
        Err(e) => {
            tracing::warn!(error = %e, "could not draw the occupancy trend");
            String::new()
        }
    }
}

fn draw(months: &[MonthFigures], locale: Locale) -> Result<String, String> {
    let last = i32::try_from(months.len())
        .unwrap_or(1)
        .saturating_sub(1)
        .max(1);
    let mut series: Vec<(String, Vec<(i32, f64)>)> = (0..3)
        .map(|k| {
            let name = months[0]
                .kinds
                .get(k)
                .map(|f| labels::space_kind(locale, f.kind))
                .unwrap_or_default();
            let points = months
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    let f = m.kinds.get(k)?;
                    Some((i as i32, percent(f.let_units_milli, f.leasable_units)))
                })
                .collect();
            (name, points)
        })
        .collect();
    series.push((
        td_string!(locale, hosting.occupancy.area_let).to_string(),
        months
            .iter()
            .enumerate()
            .map(|(i, m)| (i as i32, percent(m.let_m2_milli(), m.leasable_m2())))
            .collect(),
    ));
    let label = |i: &i32| {
        usize::try_from(*i)
            .ok()
            .and_then(|i| months.get(i))
            .map(|m| format!("{:02}/{}", m.month, m.year))
            .unwrap_or_default()
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let e = |e: DrawingAreaErrorKind<_>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .build_cartesian_2d(0..last, 0f64..100f64)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_labels(months.len().min(12))
            .x_label_formatter(&label)
            .y_labels(6)
            .y_label_formatter(&|v| format!("{v:.0} %"))
            .light_line_style(WHITE)
            .draw()
            .map_err(e)?;
        for ((name, points), colour) in series.into_iter().zip(COLOURS) {
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(2)))
                .map_err(e)?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(e)?;
        root.present().map_err(e)?;
    }
    // Decorative for assistive technology: the table that follows has every figure.
    Ok(svg.replacen("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" ", 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosting::model::KindFigures;
    use crate::spaces::model::SpaceKind;

    fn month(month: u32, offices_milli: i64) -> MonthFigures {
        let kind = |kind, leasable_units, let_units_milli| KindFigures {
            kind,
            leasable_units,
            let_units_milli,
            leasable_m2: leasable_units * 10,
            let_m2_milli: let_units_milli * 10,
            capacity: leasable_units,
            people_milli: let_units_milli,
            revenue_cents: 0,
            list_cents: 0,
        };
        MonthFigures {
            year: 2027,
            month,
            kinds: vec![
                kind(SpaceKind::Office, 60, offices_milli),
                kind(SpaceKind::Desk, 44, 22_000),
                kind(SpaceKind::Storage, 20, 0),
            ],
        }
    }

    #[test]
    fn the_trend_is_an_svg_with_a_line_per_kind_and_its_months() {
        let svg = trend(
            &[month(1, 30_000), month(2, 45_000), month(3, 60_000)],
            Locale::fr,
        );
        assert!(svg.starts_with("<svg aria-hidden=\"true\""), "{svg}");
        assert!(svg.contains("01/2027") && svg.contains("03/2027"), "{svg}");
        assert!(svg.contains("Bureau"), "{svg}");
        // Four lines (three kinds and the m²), and their four legend marks.
        assert!(svg.matches("<polyline").count() >= 4, "{svg}");
        assert_eq!(trend(&[], Locale::fr), "");
    }
}
