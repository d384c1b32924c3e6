//! The occupancy dashboard's tables, built once for both the page and its CSV exports, so that
//! a spreadsheet holds exactly what the page shows. Amounts are in euros excluding VAT and
//! shares in per cent, both without their unit (the column says it) so that spreadsheets read
//! them as numbers.
use super::model::{MonthFigures, Occupancy};
use crate::format;
use crate::i18n::{Locale, td_string};
use crate::labels;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(String),
}

impl Cell {
    pub fn text(&self) -> &str {
        match self {
            Cell::Text(s) | Cell::Number(s) => s,
        }
    }
}

/// The dashboard's tables, as the address of their CSV names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Month,
    Trend,
    Forecast,
    Vacancies,
    Arrivals,
    Waiting,
    Rooms,
}

impl TableKind {
    pub const ALL: [TableKind; 7] = [
        TableKind::Month,
        TableKind::Trend,
        TableKind::Forecast,
        TableKind::Vacancies,
        TableKind::Arrivals,
        TableKind::Waiting,
        TableKind::Rooms,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            TableKind::Month => "mois",
            TableKind::Trend => "tendance",
            TableKind::Forecast => "prevision",
            TableKind::Vacancies => "liberations",
            TableKind::Arrivals => "arrivees",
            TableKind::Waiting => "attente",
            TableKind::Rooms => "salles",
        }
    }

    pub fn from_slug(slug: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub kind: TableKind,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn num(s: String) -> Cell {
    Cell::Number(s)
}

fn optional_amount(cents: Option<i64>, locale: Locale) -> Cell {
    num(cents.map(|c| format::amount(c, locale)).unwrap_or_default())
}

/// A share as a spreadsheet's number: "72,5" (the header says %).
fn pct(part_milli: i64, whole: i64, locale: Locale) -> Cell {
    let percent_milli = if whole > 0 {
        part_milli * 100 / whole
    } else {
        0
    };
    num(format::tenths(percent_milli, locale))
}

/// The columns of a month in the trend and the forecast.
fn month_row(m: &MonthFigures, locale: Locale) -> Vec<Cell> {
    let mut row = vec![Cell::Text(format::month_year(m.year, m.month, locale))];
    row.extend(
        m.kinds
            .iter()
            .map(|k| pct(k.let_units_milli, k.leasable_units, locale)),
    );
    row.extend([
        pct(m.let_m2_milli(), m.leasable_m2(), locale),
        num(format::tenths(m.people_milli(), locale)),
        num(format::amount(m.revenue_cents(), locale)),
        optional_amount(m.revenue_per_workstation(), locale),
        optional_amount(m.revenue_per_m2(), locale),
        num(m
            .list_attainment_permille()
            .map(|p| format::tenths(p * 100, locale))
            .unwrap_or_default()),
    ]);
    row
}

fn month_headers(locale: Locale, first: &str) -> Vec<String> {
    let mut h = vec![first.to_string()];
    for kind in super::rules::LEASABLE_KINDS {
        h.push(
            td_string!(
                locale,
                hosting.occupancy.kind_share,
                kind = labels::space_kind(locale, kind)
            )
            .to_string(),
        );
    }
    h.extend(
        [
            td_string!(locale, hosting.occupancy.area_share),
            td_string!(locale, hosting.occupancy.people),
            td_string!(locale, hosting.occupancy.revenue),
            td_string!(locale, hosting.occupancy.per_workstation),
            td_string!(locale, hosting.occupancy.per_m2),
            td_string!(locale, hosting.occupancy.attainment),
        ]
        .map(|s| s.to_string()),
    );
    h
}

pub fn table(o: &Occupancy, kind: TableKind, locale: Locale) -> Table {
    let (headers, rows) = match kind {
        TableKind::Month => month_detail(o, locale),
        TableKind::Trend | TableKind::Forecast => {
            let months = if kind == TableKind::Trend {
                &o.months
            } else {
                &o.forecast
            };
            let first = td_string!(locale, hosting.occupancy.month).to_string();
            (
                month_headers(locale, &first),
                months.iter().map(|m| month_row(m, locale)).collect(),
            )
        }
        TableKind::Vacancies => vacancies(o, locale),
        TableKind::Arrivals => arrivals(o, locale),
        TableKind::Waiting => waiting(o, locale),
        TableKind::Rooms => rooms(o, locale),
    };
    Table {
        kind,
        headers,
        rows,
    }
}

type Parts = (Vec<String>, Vec<Vec<Cell>>);

/// The range's last month, one row per kind and a total.
fn month_detail(o: &Occupancy, locale: Locale) -> Parts {
    let headers = [
        td_string!(locale, hosting.occupancy.kind),
        td_string!(locale, hosting.occupancy.leasable_units),
        td_string!(locale, hosting.occupancy.let_units),
        td_string!(locale, hosting.occupancy.units_share),
        td_string!(locale, hosting.occupancy.leasable_m2),
        td_string!(locale, hosting.occupancy.let_m2),
        td_string!(locale, hosting.occupancy.area_share),
        td_string!(locale, hosting.occupancy.capacity),
        td_string!(locale, hosting.occupancy.people),
        td_string!(locale, hosting.occupancy.revenue),
        td_string!(locale, hosting.occupancy.list),
    ]
    .map(|s| s.to_string())
    .to_vec();
    let Some(m) = o.months.last() else {
        return (headers, Vec::new());
    };
    let mut rows: Vec<Vec<Cell>> = m
        .kinds
        .iter()
        .map(|k| {
            vec![
                Cell::Text(labels::space_kind(locale, k.kind)),
                num(k.leasable_units.to_string()),
                num(format::tenths(k.let_units_milli, locale)),
                pct(k.let_units_milli, k.leasable_units, locale),
                num(k.leasable_m2.to_string()),
                num(format::tenths(k.let_m2_milli, locale)),
                pct(k.let_m2_milli, k.leasable_m2, locale),
                num(k.capacity.to_string()),
                num(format::tenths(k.people_milli, locale)),
                num(format::amount(k.revenue_cents, locale)),
                num(format::amount(k.list_cents, locale)),
            ]
        })
        .collect();
    let total = |f: fn(&super::model::KindFigures) -> i64| m.kinds.iter().map(f).sum::<i64>();
    let (units, let_units) = (total(|k| k.leasable_units), total(|k| k.let_units_milli));
    rows.push(vec![
        Cell::Text(td_string!(locale, hosting.occupancy.total).to_string()),
        num(units.to_string()),
        num(format::tenths(let_units, locale)),
        pct(let_units, units, locale),
        num(m.leasable_m2().to_string()),
        num(format::tenths(m.let_m2_milli(), locale)),
        pct(m.let_m2_milli(), m.leasable_m2(), locale),
        num(total(|k| k.capacity).to_string()),
        num(format::tenths(m.people_milli(), locale)),
        num(format::amount(m.revenue_cents(), locale)),
        num(format::amount(m.list_cents(), locale)),
    ]);
    (headers, rows)
}

fn vacancies(o: &Occupancy, locale: Locale) -> Parts {
    let headers = [
        td_string!(locale, hosting.fields.unit),
        td_string!(locale, hosting.occupancy.kind),
        td_string!(locale, hosting.fields.organisation),
        td_string!(locale, hosting.leases.lease),
        td_string!(locale, hosting.occupancy.free_from),
        td_string!(locale, hosting.occupancy.why),
    ]
    .map(|s| s.to_string())
    .to_vec();
    let rows = o
        .vacancies
        .iter()
        .map(|v| {
            let why = if v.on_notice {
                td_string!(locale, hosting.occupancy.on_notice)
            } else {
                td_string!(locale, hosting.occupancy.term_ends)
            };
            vec![
                Cell::Text(v.unit.clone()),
                Cell::Text(labels::space_kind(locale, v.kind)),
                Cell::Text(v.organisation.clone()),
                num(v.lease_id.to_string()),
                Cell::Text(format::date(v.free_from, locale)),
                Cell::Text(why.to_string()),
            ]
        })
        .collect();
    (headers, rows)
}

/// Accepted applications whose lease is to come, with the units promised to them.
fn arrivals(o: &Occupancy, locale: Locale) -> Parts {
    let headers = [
        td_string!(locale, hosting.fields.organisation),
        td_string!(locale, hosting.occupancy.wants),
        td_string!(locale, hosting.occupancy.arrives),
        td_string!(locale, hosting.occupancy.promised_units),
    ]
    .map(|s| s.to_string())
    .to_vec();
    let rows = o
        .arrivals
        .iter()
        .map(|a| {
            vec![
                Cell::Text(a.organisation_name.clone()),
                Cell::Text(crate::applications::pages::wants_text(a.wants, locale)),
                Cell::Text(format::date(a.wanted_from, locale)),
                Cell::Text(a.promised.join(", ")),
            ]
        })
        .collect();
    (headers, rows)
}

/// The waiting list, in rank order.
fn waiting(o: &Occupancy, locale: Locale) -> Parts {
    let headers = [
        td_string!(locale, applications.list.rank),
        td_string!(locale, hosting.fields.organisation),
        td_string!(locale, hosting.occupancy.wants),
        td_string!(locale, hosting.occupancy.arrives),
    ]
    .map(|s| s.to_string())
    .to_vec();
    let rows = o
        .waiting
        .iter()
        .map(|a| {
            vec![
                num(a.wait_rank.map(|r| r.to_string()).unwrap_or_default()),
                Cell::Text(a.organisation_name.clone()),
                Cell::Text(crate::applications::pages::wants_text(a.wants, locale)),
                Cell::Text(format::date(a.wanted_from, locale)),
            ]
        })
        .collect();
    (headers, rows)
}

fn rooms(o: &Occupancy, locale: Locale) -> Parts {
    let headers = [
        td_string!(locale, hosting.occupancy.space),
        td_string!(locale, hosting.occupancy.booked_hours),
        td_string!(locale, hosting.occupancy.open_hours),
        td_string!(locale, hosting.occupancy.booked_share),
    ]
    .map(|s| s.to_string())
    .to_vec();
    let rows = o
        .rooms
        .iter()
        .map(|r| {
            let name = match &r.space.part_of {
                Some(parent) => format!("{} ({parent})", r.space.name),
                None => r.space.name.clone(),
            };
            vec![
                Cell::Text(name),
                num(format::tenths(r.booked_minutes * 1000 / 60, locale)),
                num(format::tenths(r.open_minutes * 1000 / 60, locale)),
                num(format::tenths(r.per_mille() * 100, locale)),
            ]
        })
        .collect();
    (headers, rows)
}

/// A text cell a spreadsheet would read as a formula (a candidate's name typed as
/// "=HYPERLINK(…)") is written with a leading apostrophe, which spreadsheets show as text.
#[cfg(feature = "ssr")]
fn spreadsheet_safe(c: &Cell) -> String {
    match c {
        Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        c => c.text().to_owned(),
    }
}

/// A table as CSV: UTF-8 with a byte-order mark, so that spreadsheets read the accents, and
/// in French the semicolon that French spreadsheets expect beside decimal commas.
#[cfg(feature = "ssr")]
pub fn csv(t: &Table, locale: Locale) -> Result<Vec<u8>, csv::Error> {
    let delimiter = if locale == Locale::fr { b';' } else { b',' };
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(&t.headers)?;
    for row in &t.rows {
        out.write_record(row.iter().map(spreadsheet_safe))?;
    }
    out.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_text_cell_is_never_read_as_a_formula() {
        let t = |s: &str| spreadsheet_safe(&Cell::Text(s.into()));
        assert_eq!(t("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(t("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(t("Coop des Quais"), "Coop des Quais");
        assert_eq!(spreadsheet_safe(&Cell::Number("-1,5".into())), "-1,5");
    }
    use crate::hosting::model::{KindFigures, Vacancy};
    use crate::spaces::model::SpaceKind;

    fn occupancy() -> Occupancy {
        let kind = |kind, units: i64, milli: i64| KindFigures {
            kind,
            leasable_units: units,
            let_units_milli: milli,
            leasable_m2: units * 12,
            let_m2_milli: milli * 12,
            capacity: units * 2,
            people_milli: milli * 2,
            revenue_cents: milli * 30,
            list_cents: milli * 32,
        };
        let month = MonthFigures {
            year: 2026,
            month: 12,
            kinds: vec![
                kind(SpaceKind::Office, 60, 41_500),
                kind(SpaceKind::Desk, 44, 30_000),
                kind(SpaceKind::Storage, 20, 5_000),
            ],
        };
        Occupancy {
            range: crate::hosting::model::MonthRange {
                year: 2026,
                month: 12,
                count: 1,
            },
            months: vec![month.clone()],
            forecast: vec![month],
            arrivals: Vec::new(),
            waiting: Vec::new(),
            vacancies: vec![Vacancy {
                unit: "Bureau 12".into(),
                kind: SpaceKind::Office,
                organisation: "Le Relais; Atlantique".into(),
                lease_id: 7,
                free_from: chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
                on_notice: true,
            }],
            rooms: Vec::new(),
            chart_svg: String::new(),
            forecast_svg: String::new(),
        }
    }

    #[test]
    fn the_month_table_has_a_row_per_kind_and_a_total() {
        let t = table(&occupancy(), TableKind::Month, Locale::fr);
        assert_eq!(t.rows.len(), 4);
        assert_eq!(t.headers.len(), t.rows[0].len());
        // 41.5 of 60 offices let.
        assert_eq!(t.rows[0][2].text(), "41,5");
        assert_eq!(t.rows[0][3].text(), "69,2");
        // In all, 76.5 of 124 units.
        assert_eq!(t.rows[3][1].text(), "124");
        assert_eq!(t.rows[3][2].text(), "76,5");
        let en = table(&occupancy(), TableKind::Trend, Locale::en);
        assert_eq!(en.rows[0][0].text(), "December 2026");
        assert_eq!(en.rows[0][1].text(), "69.2");
        assert_eq!(en.headers.len(), en.rows[0].len());
    }

    #[test]
    fn a_csv_quotes_what_needs_it_and_uses_the_locales_separator() {
        let o = occupancy();
        let fr = String::from_utf8(
            csv(&table(&o, TableKind::Vacancies, Locale::fr), Locale::fr).unwrap(),
        )
        .unwrap();
        assert!(fr.starts_with('\u{feff}'));
        let lines: Vec<&str> = fr.lines().collect();
        assert_eq!(lines.len(), 2);
        // The name holds the separator: it is quoted.
        assert!(lines[1].contains("\"Le Relais; Atlantique\""), "{fr}");
        assert!(lines[1].contains("1er mars 2027"), "{fr}");
        let en =
            String::from_utf8(csv(&table(&o, TableKind::Month, Locale::en), Locale::en).unwrap())
                .unwrap();
        assert!(en.lines().nth(1).unwrap().contains(",41.5,"), "{en}");
    }
}
