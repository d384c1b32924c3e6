//! Numbers, amounts and dates written the way each language writes them.
//! French (CLDR): narrow no-break space between thousands, decimal comma, "1 200,00 €".
//! The month and day names are a few words, not worth shipping a locale database to the browser.
use crate::i18n::Locale;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// U+202F, the French thousands separator.
const NNBSP: char = '\u{202f}';
/// U+00A0, before the euro sign and the units in French.
const NBSP: char = '\u{a0}';

fn group(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// An integer with thousands grouped.
pub fn integer(n: i64, locale: Locale) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let separator = match locale {
        Locale::fr => NNBSP,
        Locale::en => ',',
    };
    format!("{sign}{}", group(n.unsigned_abs(), separator))
}

/// Whether `n` takes the singular: French says "0 espace" and "1 espace", English "1 space"
/// but "0 spaces" (CLDR plural rules, for whole numbers).
pub fn singular(n: i64, locale: Locale) -> bool {
    match locale {
        Locale::fr => n == 0 || n == 1,
        Locale::en => n == 1,
    }
}

/// "1 espace", "12 espaces": `n` formatted, in the singular or the plural phrase.
pub fn counted(
    locale: Locale,
    n: i64,
    single: impl FnOnce(String) -> String,
    several: impl FnOnce(String) -> String,
) -> String {
    let count = integer(n, locale);
    if singular(n, locale) {
        single(count)
    } else {
        several(count)
    }
}

/// A length of time: "45 min", "2 h", "1 h 30" (French) / "1 h 30 min" (English).
pub fn duration(minutes: i64, locale: Locale) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m, locale) {
        (0, m, _) => format!("{m}{NBSP}min"),
        (h, 0, _) => format!("{h}{NBSP}h"),
        (h, m, Locale::fr) => format!("{h}{NBSP}h{NBSP}{m:02}"),
        (h, m, Locale::en) => format!("{h}{NBSP}h{NBSP}{m:02}{NBSP}min"),
    }
}

/// An amount in euro cents: "1 200,00 €" / "€1,200.00".
pub fn money(cents: i64, locale: Locale) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (units, rest) = (abs / 100, abs % 100);
    match locale {
        Locale::fr => format!("{sign}{},{rest:02}{NBSP}€", group(units, NNBSP)),
        Locale::en => format!("{sign}€{}.{rest:02}", group(units, ',')),
    }
}

/// An amount as a form's box holds it, for editing: "380,00" / "380.00" (no grouping, no
/// sign of the currency; `input::Money::parse` reads it back).
pub fn amount(cents: i64, locale: Locale) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let mark = if locale == Locale::fr { ',' } else { '.' };
    format!("{sign}{}{mark}{:02}", abs / 100, abs % 100)
}

/// A count kept in thousandths, to one decimal, as a table or a spreadsheet reads it:
/// 41 500 → "41,5" / "41.5" (rounded half up, no grouping).
pub fn tenths(milli: i64, locale: Locale) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let tenths = (milli.unsigned_abs() + 50) / 100;
    let mark = if locale == Locale::fr { ',' } else { '.' };
    format!("{sign}{}{mark}{}", tenths / 10, tenths % 10)
}

/// A share of thousandths over a whole, as a percentage to one decimal: "72,5 %".
pub fn share(part_milli: i64, whole: i64, locale: Locale) -> String {
    // The percentage, in thousandths.
    let percent_milli = if whole > 0 {
        part_milli * 100 / whole
    } else {
        0
    };
    let number = tenths(percent_milli, locale);
    match locale {
        Locale::fr => format!("{number}{NNBSP}%"),
        Locale::en => format!("{number}%"),
    }
}

/// A month and its year: "décembre 2026" / "December 2026".
pub fn month_year(year: i32, month: u32, locale: Locale) -> String {
    format!("{} {year}", month_name(month.saturating_sub(1), locale))
}

/// An area in square metres: "1 650 m²".
pub fn area(m2: i64, locale: Locale) -> String {
    match locale {
        Locale::fr => format!("{}{NBSP}m²", integer(m2, locale)),
        Locale::en => format!("{} m²", integer(m2, locale)),
    }
}

/// A rate in basis points (2000 = 20 %): "20 %", "5,5 %" / "20%", "5.5%".
pub fn percent_bp(bp: i32, locale: Locale) -> String {
    let whole = bp / 100;
    let frac = (bp % 100).abs();
    let number = if frac == 0 {
        whole.to_string()
    } else {
        let decimals = if frac % 10 == 0 {
            format!("{}", frac / 10)
        } else {
            format!("{frac:02}")
        };
        match locale {
            Locale::fr => format!("{whole},{decimals}"),
            Locale::en => format!("{whole}.{decimals}"),
        }
    };
    match locale {
        Locale::fr => format!("{number}{NNBSP}%"),
        Locale::en => format!("{number}%"),
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn month_name(month0: u32, locale: Locale) -> &'static str {
    let names = match locale {
        Locale::fr => &MONTHS_FR,
        Locale::en => &MONTHS_EN,
    };
    names.get(month0 as usize).copied().unwrap_or_default()
}

/// "22 novembre 2026" / "22 November 2026"; French writes the first of the month "1er".
pub fn date(d: NaiveDate, locale: Locale) -> String {
    let day = match (locale, d.day()) {
        (Locale::fr, 1) => "1er".to_owned(),
        (_, n) => n.to_string(),
    };
    format!("{day} {} {}", month_name(d.month0(), locale), d.year())
}

/// A weekday's name, Monday being 0: "lundi" / "Monday".
pub fn weekday(index: usize, locale: Locale) -> &'static str {
    let days = match locale {
        Locale::fr => &DAYS_FR,
        Locale::en => &DAYS_EN,
    };
    days.get(index).copied().unwrap_or_default()
}

/// "dim. 22/11" / "Sun 22/11": a column heading.
pub fn short_date(d: NaiveDate, locale: Locale) -> String {
    let day = weekday(d.weekday().num_days_from_monday() as usize, locale);
    let short: String = day.chars().take(3).collect();
    match locale {
        Locale::fr => format!("{short}. {:02}/{:02}", d.day(), d.month()),
        Locale::en => format!("{short} {:02}/{:02}", d.day(), d.month()),
    }
}

/// "dimanche 22 novembre 2026" / "Sunday 22 November 2026".
pub fn long_date(d: NaiveDate, locale: Locale) -> String {
    let days = match locale {
        Locale::fr => &DAYS_FR,
        Locale::en => &DAYS_EN,
    };
    let weekday = days
        .get(d.weekday().num_days_from_monday() as usize)
        .copied()
        .unwrap_or_default();
    format!("{weekday} {}", date(d, locale))
}

/// A local (Europe/Paris) date and time: "22 novembre 2026 à 14:30" / "22 November 2026, 14:30".
pub fn date_time(dt: NaiveDateTime, locale: Locale) -> String {
    let time = format!("{:02}:{:02}", dt.hour(), dt.minute());
    match locale {
        Locale::fr => format!("{} à {time}", date(dt.date(), locale)),
        Locale::en => format!("{}, {time}", date(dt.date(), locale)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_and_shares_round_half_up_to_one_decimal() {
        assert_eq!(tenths(41_500, Locale::fr), "41,5");
        assert_eq!(tenths(333, Locale::en), "0.3");
        assert_eq!(tenths(1_950, Locale::en), "2.0");
        assert_eq!(tenths(-1_250, Locale::fr), "-1,3");
        // 41.5 of 60 offices: 69.2 %.
        assert_eq!(share(41_500, 60, Locale::fr), "69,2\u{202f}%");
        assert_eq!(share(0, 0, Locale::en), "0.0%");
        assert_eq!(month_year(2026, 12, Locale::fr), "décembre 2026");
        assert_eq!(month_year(2027, 1, Locale::en), "January 2027");
    }

    #[test]
    fn an_amount_to_edit_reads_back_as_itself() {
        for cents in [0, 7, 38_000, 123_456_789] {
            for locale in [Locale::fr, Locale::en] {
                let typed = amount(cents, locale);
                assert_eq!(
                    crate::input::Money::parse(&typed).map(|m| m.cents()),
                    Some(cents),
                    "{typed}"
                );
            }
        }
        assert_eq!(amount(38_050, Locale::fr), "380,50");
        assert_eq!(amount(38_050, Locale::en), "380.50");
    }

    #[test]
    fn money_is_written_the_french_way() {
        assert_eq!(money(120_000, Locale::fr), "1\u{202f}200,00\u{a0}€");
        assert_eq!(money(5_550, Locale::fr), "55,50\u{a0}€");
        assert_eq!(money(-7, Locale::fr), "-0,07\u{a0}€");
        assert_eq!(
            money(123_456_789, Locale::fr),
            "1\u{202f}234\u{202f}567,89\u{a0}€"
        );
    }

    #[test]
    fn money_in_english() {
        assert_eq!(money(120_000, Locale::en), "€1,200.00");
        assert_eq!(money(0, Locale::en), "€0.00");
        assert_eq!(money(-150, Locale::en), "-€1.50");
    }

    #[test]
    fn integers_and_areas_are_grouped() {
        assert_eq!(integer(999, Locale::fr), "999");
        assert_eq!(integer(1_650, Locale::fr), "1\u{202f}650");
        assert_eq!(integer(-1_000_000, Locale::en), "-1,000,000");
        assert_eq!(area(9_000, Locale::fr), "9\u{202f}000\u{a0}m²");
        assert_eq!(area(470, Locale::en), "470 m²");
    }

    #[test]
    fn plural_rules() {
        assert!(singular(0, Locale::fr) && singular(1, Locale::fr) && !singular(2, Locale::fr));
        assert!(!singular(0, Locale::en) && singular(1, Locale::en) && !singular(2, Locale::en));
    }

    #[test]
    fn durations() {
        assert_eq!(duration(45, Locale::fr), "45\u{a0}min");
        assert_eq!(duration(120, Locale::fr), "2\u{a0}h");
        assert_eq!(duration(90, Locale::fr), "1\u{a0}h\u{a0}30");
        assert_eq!(duration(90, Locale::en), "1\u{a0}h\u{a0}30\u{a0}min");
    }

    #[test]
    fn vat_rates() {
        assert_eq!(percent_bp(2000, Locale::fr), "20\u{202f}%");
        assert_eq!(percent_bp(550, Locale::fr), "5,5\u{202f}%");
        assert_eq!(percent_bp(210, Locale::en), "2.1%");
        assert_eq!(percent_bp(1005, Locale::en), "10.05%");
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        assert_eq!(date(d, Locale::fr), "22 novembre 2026");
        assert_eq!(long_date(d, Locale::fr), "dimanche 22 novembre 2026");
        assert_eq!(long_date(d, Locale::en), "Sunday 22 November 2026");
        assert_eq!(short_date(d, Locale::fr), "dim. 22/11");
        assert_eq!(short_date(d, Locale::en), "Sun 22/11");
        let first = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap_or_default();
        assert_eq!(date(first, Locale::fr), "1er mars 2027");
        assert_eq!(date(first, Locale::en), "1 March 2027");
        let dt = first.and_hms_opt(14, 5, 0).unwrap_or_default();
        assert_eq!(date_time(dt, Locale::fr), "1er mars 2027 à 14:05");
    }
}
