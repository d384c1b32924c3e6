//! The one parsing layer for what people type into forms: free text, amounts in euros,
//! percentages, page numbers. Every server function reads its text and numbers through these
//! types, so that a NUL byte, an invisible control character, a 100 KB string or "0.-5" € is
//! refused with a message before it reaches a rule or the database.
use crate::error::AppError;
use crate::i18n::{Locale, td_string};
use serde::{Deserialize, Serialize};

/// Why a text field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    Missing,
    TooLong {
        max_chars: usize,
    },
    /// NUL or another control character; a newline in a one-line field.
    ControlCharacter,
}

/// Length limits shared by the forms, in characters.
pub mod limits {
    /// A search box: long enough for any name, short enough for a cheap LIKE.
    pub const SEARCH: usize = 200;
    /// A one-line label: a title, a reason, a name.
    pub const LINE: usize = 300;
    /// A multi-line note.
    pub const NOTE: usize = 5_000;
    /// What a password field may carry before the policy even looks at it.
    pub const PASSWORD: usize = 1_024;
    /// An e-mail field (RFC 5321 allows 254; the rest is room for spaces).
    pub const EMAIL: usize = 320;
}

/// Reads one text field: trims it, refuses NUL and every control character except the tab
/// (and the newline, in a multi-line field), and enforces `max_chars`. "\r\n" is kept as "\n".
/// An empty result is allowed; use [`required`] when the field must be filled.
pub fn text(raw: &str, max_chars: usize, multiline: bool) -> Result<String, TextError> {
    let trimmed = raw.trim();
    // Counting first keeps a 100 KB paste from being scanned and copied for nothing.
    if trimmed.chars().nth(max_chars).is_some() {
        return Err(TextError::TooLong { max_chars });
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if multiline && chars.peek() == Some(&'\n') => {}
            '\n' if multiline => out.push('\n'),
            '\t' => out.push('\t'),
            c if c.is_control() => return Err(TextError::ControlCharacter),
            // Line and paragraph separators and bidirectional overrides reorder or hide text.
            '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                return Err(TextError::ControlCharacter);
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Like [`text`], for a field that must not be empty.
pub fn required(raw: &str, max_chars: usize, multiline: bool) -> Result<String, TextError> {
    let value = text(raw, max_chars, multiline)?;
    if value.is_empty() {
        return Err(TextError::Missing);
    }
    Ok(value)
}

/// A secret (a password) as typed: never trimmed, since its spaces are part of it, but held
/// to the same refusal of control characters and to a length limit.
pub fn secret(raw: &str, max_chars: usize) -> Result<&str, TextError> {
    if raw.chars().nth(max_chars).is_some() {
        return Err(TextError::TooLong { max_chars });
    }
    if raw.chars().any(|c| c.is_control() && c != '\t') {
        return Err(TextError::ControlCharacter);
    }
    Ok(raw)
}

/// A one-line field with its inner runs of spaces and tabs folded into one space.
pub fn line(raw: &str, max_chars: usize) -> Result<String, TextError> {
    Ok(text(raw, max_chars, false)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}

/// The user's message for a refused text field, naming the field.
pub fn text_error(field: &str, e: TextError, locale: Locale) -> AppError {
    let name = field_label(field, locale);
    let message = match e {
        TextError::Missing => td_string!(locale, input.missing, field = name).to_string(),
        TextError::TooLong { max_chars } => td_string!(
            locale,
            input.too_long,
            field = name,
            max = crate::format::integer(max_chars as i64, locale)
        )
        .to_string(),
        TextError::ControlCharacter => td_string!(locale, input.control, field = name).to_string(),
    };
    AppError::validation(field, message)
}

/// The field's name as its form labels it, for the messages above.
fn field_label(field: &str, locale: Locale) -> String {
    let label = match field {
        "email" | "account_email" => td_string!(locale, input.fields.email),
        "password" | "current" | "password_confirm" | "account_password" => {
            td_string!(locale, input.fields.password)
        }
        "name" | "account_name" => td_string!(locale, input.fields.name),
        "title" => td_string!(locale, input.fields.title),
        "reason" => td_string!(locale, input.fields.reason),
        "description" => td_string!(locale, input.fields.description),
        "notes" => td_string!(locale, input.fields.notes),
        "search" => td_string!(locale, input.fields.search),
        "contact_phone" => td_string!(locale, input.fields.phone),
        "catering" => td_string!(locale, input.fields.catering),
        "code" => td_string!(locale, input.fields.code),
        "organisation_name" => td_string!(locale, input.fields.organisation_name),
        "address" => td_string!(locale, input.fields.address),
        "project" => td_string!(locale, input.fields.project),
        "contribution" => td_string!(locale, input.fields.contribution),
        "contact_name" => td_string!(locale, input.fields.contact_name),
        "note" => td_string!(locale, input.fields.note),
        "place" => td_string!(locale, input.fields.place),
        "reasons" => td_string!(locale, input.fields.reasons),
        _ => td_string!(locale, input.fields.other),
    };
    label.to_string()
}

/// Reads a decimal number with at most two decimals as hundredths: "1 200,50" → 120050.
/// Accepts a decimal comma or point, spaces (also no-break ones) between digit groups before
/// the decimal mark, a euro or percent sign around it, and a leading minus when `signed`.
/// Refuses anything else: "0.-5", "1.2.3", "12,345", "--1", "", and values past `max`.
fn hundredths(raw: &str, signed: bool, max: i64) -> Option<i64> {
    let mut s = raw.trim();
    for sign in ['€', '%'] {
        s = s.strip_prefix(sign).unwrap_or(s).trim();
        s = s.strip_suffix(sign).unwrap_or(s).trim();
    }
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) if signed => (true, rest),
        Some(_) => return None,
        None => (false, s),
    };
    let (whole, frac) = match s.find([',', '.']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let is_space = |c: char| c == ' ' || c == '\u{a0}' || c == '\u{202f}';
    // Spaces only between digits: "1 200", not " 1", "1 " or "1  200".
    let groups: Vec<&str> = whole.split(is_space).collect();
    if groups.len() > 1 && groups.iter().any(|g| g.is_empty()) {
        return None;
    }
    let whole_digits: String = groups.concat();
    if !whole_digits.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || whole_digits.is_empty() && frac.is_empty()
    {
        return None;
    }
    let whole_value: i64 = if whole_digits.is_empty() {
        0
    } else {
        whole_digits.parse().ok()?
    };
    let frac_value: i64 = format!("{frac:0<2}").parse().ok()?;
    let value = whole_value.checked_mul(100)?.checked_add(frac_value)?;
    if value > max {
        return None;
    }
    Some(if negative { -value } else { value })
}

/// An amount of money in euro cents. No floats anywhere near money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Money(i64);

impl Money {
    /// Ten million euros: more than any amount the hub types, far from overflowing a sum.
    pub const MAX_CENTS: i64 = 1_000_000_000;

    /// An amount typed in a form, zero or more: "12", "12,50", "12.5", "1 200,00 €".
    pub fn parse(raw: &str) -> Option<Money> {
        hundredths(raw, false, Self::MAX_CENTS).map(Money)
    }

    /// An amount that may be negative (a correction): "-12,50".
    pub fn parse_signed(raw: &str) -> Option<Money> {
        hundredths(raw, true, Self::MAX_CENTS).map(Money)
    }

    pub fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    pub fn cents(self) -> i64 {
        self.0
    }
}

/// A rate in basis points (20 % = 2000), typed in percent: "20", "5,5", "5.5 %".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Percent(i32);

impl Percent {
    pub const ZERO: Percent = Percent(0);

    /// A rate from 0 to `max_bp` basis points.
    pub fn parse(raw: &str, max_bp: i32) -> Option<Percent> {
        hundredths(raw, false, i64::from(max_bp))
            .and_then(|bp| i32::try_from(bp).ok())
            .map(Percent)
    }

    pub fn bp(self) -> i32 {
        self.0
    }
}

/// A page number of a paged list, from 1 to [`Page::MAX`]. Anything unreadable is the first
/// page and anything beyond the last possible page is that page, so the offset it gives can
/// never overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Page(u32);

impl Page {
    pub const MAX: u32 = 10_000;

    pub fn parse(raw: &str) -> Page {
        let raw = raw.trim();
        let n = match raw.parse::<u64>() {
            Ok(n) => n.clamp(1, u64::from(Self::MAX)),
            // Digits that don't fit in a u64 are past the last page too.
            Err(_) if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) => {
                u64::from(Self::MAX)
            }
            Err(_) => 1,
        };
        Page(u32::try_from(n).unwrap_or(Self::MAX))
    }

    pub fn number(self) -> u32 {
        self.0
    }

    /// The index of this page's first row, `per_page` rows a page.
    pub fn offset(self, per_page: usize) -> usize {
        (self.0 as usize - 1).saturating_mul(per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_length_limited() {
        assert_eq!(text("  Réunion  ", 10, false), Ok("Réunion".to_owned()));
        assert_eq!(text("", 10, false), Ok(String::new()));
        assert_eq!(required("   ", 10, false), Err(TextError::Missing));
        assert_eq!(text("ééééé", 5, false), Ok("ééééé".to_owned()));
        assert_eq!(
            text("éééééé", 5, false),
            Err(TextError::TooLong { max_chars: 5 })
        );
        let huge = "a".repeat(100_000);
        assert_eq!(
            text(&huge, limits::SEARCH, false),
            Err(TextError::TooLong {
                max_chars: limits::SEARCH
            })
        );
    }

    #[test]
    fn control_characters_are_refused_but_tabs_and_newlines_where_allowed() {
        assert_eq!(text("a\0b", 10, false), Err(TextError::ControlCharacter));
        assert_eq!(text("a\0b", 10, true), Err(TextError::ControlCharacter));
        assert_eq!(text("a\u{7}b", 10, true), Err(TextError::ControlCharacter));
        assert_eq!(text("a\u{85}b", 10, true), Err(TextError::ControlCharacter));
        assert_eq!(
            text("a\u{202e}b", 10, true),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(text("a\nb", 10, false), Err(TextError::ControlCharacter));
        assert_eq!(text("a\r\nb", 10, true), Ok("a\nb".to_owned()));
        assert_eq!(text("a\rb", 10, true), Err(TextError::ControlCharacter));
        assert_eq!(text("a\tb", 10, false), Ok("a\tb".to_owned()));
        assert_eq!(line("a \t  b", 10), Ok("a b".to_owned()));
        assert_eq!(secret(" pass word ", 20), Ok(" pass word "));
        assert_eq!(secret("pass\0word", 20), Err(TextError::ControlCharacter));
        assert_eq!(
            secret(&"x".repeat(limits::PASSWORD + 1), limits::PASSWORD),
            Err(TextError::TooLong {
                max_chars: limits::PASSWORD
            })
        );
    }

    #[test]
    fn text_errors_name_the_field_in_both_languages() {
        let fr = text_error("title", TextError::ControlCharacter, Locale::fr);
        assert_eq!(fr.field(), Some("title"));
        assert!(fr.message().contains("Titre"), "{}", fr.message());
        let en = text_error("title", TextError::TooLong { max_chars: 1200 }, Locale::en);
        assert!(en.message().contains("Title"), "{}", en.message());
        assert!(en.message().contains("1,200"), "{}", en.message());
        assert_eq!(en.status(), 400);
    }

    #[test]
    fn euros_are_read_the_way_people_type_them() {
        let cents = |raw| Money::parse(raw).map(Money::cents);
        assert_eq!(cents("12"), Some(1200));
        assert_eq!(cents("12,50"), Some(1250));
        assert_eq!(cents("12.5"), Some(1250));
        assert_eq!(cents("1 200,00"), Some(120_000));
        assert_eq!(cents("1\u{202f}200,50\u{a0}€"), Some(120_050));
        assert_eq!(cents("€1200.50"), Some(120_050));
        assert_eq!(cents("0,5"), Some(50));
        assert_eq!(cents(",5"), Some(50));
        assert_eq!(cents("0"), Some(0));
        assert_eq!(cents("10000000"), Some(Money::MAX_CENTS));
    }

    #[test]
    fn malformed_or_negative_euros_are_refused() {
        for raw in [
            "",
            " ",
            "€",
            ",",
            "-3",
            "0.-5",
            "0,-5",
            "-0",
            "+3",
            "12,345",
            "1.2.3",
            "1,2,3",
            "12 ,50",
            " 1  200",
            "douze",
            "1e3",
            "0x10",
            "12€50",
            "10000000,01",
            "99999999999999999999",
            "١٢",
            "1\u{0}2",
        ] {
            assert_eq!(Money::parse(raw), None, "{raw:?} should be refused");
        }
        assert_eq!(Money::parse_signed("-12,50").map(Money::cents), Some(-1250));
        assert_eq!(Money::parse_signed("0.-5"), None);
        assert_eq!(Money::parse_signed("--5"), None);
    }

    #[test]
    fn percents_are_basis_points_within_bounds() {
        let bp = |raw, max| Percent::parse(raw, max).map(Percent::bp);
        assert_eq!(bp("10", 10_000), Some(1000));
        assert_eq!(bp("5,5", 10_000), Some(550));
        assert_eq!(bp("5.5 %", 10_000), Some(550));
        assert_eq!(bp("100", 10_000), Some(10_000));
        assert_eq!(bp("100,01", 10_000), None);
        assert_eq!(bp("101", 10_000), None);
        assert_eq!(bp("-1", 10_000), None);
        assert_eq!(bp("0.-5", 10_000), None);
        assert_eq!(bp("99999999999999999999", 10_000), None);
    }

    #[test]
    fn page_numbers_are_bounded_so_offsets_never_overflow() {
        assert_eq!(Page::parse("").number(), 1);
        assert_eq!(Page::parse("0").number(), 1);
        assert_eq!(Page::parse("-5").number(), 1);
        assert_eq!(Page::parse("abc").number(), 1);
        assert_eq!(Page::parse(" 3 ").number(), 3);
        assert_eq!(Page::parse("18446744073709551615").number(), Page::MAX);
        assert_eq!(Page::parse("99999999999999999999999").number(), Page::MAX);
        assert_eq!(Page::parse("1").offset(40), 0);
        assert_eq!(Page::parse("3").offset(40), 80);
        assert_eq!(
            Page::parse("18446744073709551615").offset(usize::MAX),
            usize::MAX
        );
    }
}
