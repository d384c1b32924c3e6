//! Pure rules of event rental: the pipeline's transitions, quote lines and totals, option
//! ranks, and cancellation fees. No database here; the service feeds these and stores what
//! they decide.
use super::model::EventStatus;
use crate::billing::rules::mul_div_round; // money's one rounding rule, shared with invoicing
use crate::bookings::rules::HALF_DAY_MINUTES;
use crate::spaces::model::RateUnit;
use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use std::collections::HashMap;

// ---------------------------------------------------------------------------------------------
// The pipeline.

/// What someone does to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SendQuote,
    PlaceOption,
    ReleaseOption,
    Lapse,
    Confirm,
    MarkDone,
    Close,
    Decline,
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The action does not follow from this status.
    NotFromStatus(EventStatus),
    /// Confirming needs a quote the organiser accepted.
    QuoteNotAccepted,
    /// …that is still valid.
    QuoteExpired,
    /// Another option on these slots comes first.
    NotFirstOption(u32),
    /// The event has not ended yet.
    NotEnded,
    /// A quote needs at least one space.
    NoSpaces,
    /// The cancellation fee is no longer the one shown (cents now due).
    FeeChanged(i64),
}

/// The status an action leads to, or why it may not happen from `from`.
pub fn next_status(from: EventStatus, action: Action) -> Result<EventStatus, Refusal> {
    use EventStatus as S;
    let to = match (action, from) {
        (Action::SendQuote, S::Request | S::Quoted) => S::Quoted,
        // A revised quote keeps the hold.
        (Action::SendQuote, S::Option) => S::Option,
        (Action::PlaceOption, S::Quoted) => S::Option,
        (Action::ReleaseOption, S::Option) => S::Quoted,
        (Action::Lapse, S::Option) => S::Lapsed,
        (Action::Confirm, S::Quoted | S::Option) => S::Confirmed,
        (Action::MarkDone, S::Confirmed) => S::Done,
        (Action::Close, S::Done) => S::Closed,
        (Action::Decline, S::Request | S::Quoted | S::Option) => S::Declined,
        (Action::Cancel, S::Request | S::Quoted | S::Option | S::Confirmed) => S::Cancelled,
        _ => return Err(Refusal::NotFromStatus(from)),
    };
    Ok(to)
}

/// The quote as confirmation sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteState {
    pub accepted: bool,
    pub valid_until: NaiveDate,
}

/// Whether an event may be confirmed today: the pipeline allows it, its quote was accepted
/// and is still valid, and no earlier option holds the same slots.
pub fn check_confirm(
    status: EventStatus,
    quote: Option<QuoteState>,
    option_rank: Option<u32>,
    today: NaiveDate,
) -> Result<(), Refusal> {
    next_status(status, Action::Confirm)?;
    let quote = quote.ok_or(Refusal::QuoteNotAccepted)?;
    if !quote.accepted {
        return Err(Refusal::QuoteNotAccepted);
    }
    if today > quote.valid_until {
        return Err(Refusal::QuoteExpired);
    }
    match option_rank {
        Some(rank) if rank > 1 => Err(Refusal::NotFirstOption(rank)),
        _ => Ok(()),
    }
}

/// Whether an option has lapsed at `now`.
pub fn option_lapsed(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= expires_at
}

/// The status a page shows at `now`: an option past its expiry shows as lapsed, even before
/// the background task has written it (a page never writes).
pub fn shown_status(
    status: EventStatus,
    option_expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> EventStatus {
    match (status, option_expires_at) {
        (EventStatus::Option, Some(t)) if option_lapsed(t, now) => EventStatus::Lapsed,
        _ => status,
    }
}

// ---------------------------------------------------------------------------------------------
// Option ranks.

/// An option and the time it holds on each leaf space (Unix seconds, set-up and teardown
/// included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub event_id: i32,
    pub placed_at: DateTime<Utc>,
    pub leaves: Vec<i32>,
    pub span: (i64, i64),
}

impl Hold {
    fn clashes_with(&self, other: &Hold) -> bool {
        self.span.0 < other.span.1
            && other.span.0 < self.span.1
            && self.leaves.iter().any(|l| other.leaves.contains(l))
    }

    fn comes_before(&self, other: &Hold) -> bool {
        (self.placed_at, self.event_id) < (other.placed_at, other.event_id)
    }
}

/// Each option's rank: 1 plus the number of earlier options that hold any of its slots.
pub fn ranks(holds: &[Hold]) -> HashMap<i32, u32> {
    holds
        .iter()
        .map(|h| {
            let ahead = holds
                .iter()
                .filter(|o| o.event_id != h.event_id && o.comes_before(h) && o.clashes_with(h))
                .count();
            (h.event_id, 1 + u32::try_from(ahead).unwrap_or(u32::MAX - 1))
        })
        .collect()
}

/// The options that become first when `gone` lapses or is released.
pub fn promoted_when_removed(holds: &[Hold], gone: i32) -> Vec<i32> {
    let before = ranks(holds);
    let rest: Vec<Hold> = holds
        .iter()
        .filter(|h| h.event_id != gone)
        .cloned()
        .collect();
    let mut up: Vec<i32> = ranks(&rest)
        .into_iter()
        .filter(|(id, rank)| *rank == 1 && before.get(id).is_some_and(|r| *r > 1))
        .map(|(id, _)| id)
        .collect();
    up.sort_unstable();
    up
}

// ---------------------------------------------------------------------------------------------
// Quotes.

/// A space's rates for one tier, excluding VAT, in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventRates {
    pub half_day: Option<i64>,
    pub day: Option<i64>,
    pub evening: Option<i64>,
    pub weekend: Option<i64>,
}

/// An evening starts at 18:00; a day that runs past 20:00 also pays the evening.
pub const EVENING_STARTS: u32 = 18 * 60;
pub const EVENING_EXTENSION_AFTER: u32 = 20 * 60;

/// The rates that pay for one day of an event from `start` to `end` (minutes of the day).
/// Saturdays and Sundays take the weekend rate where the space has one; an event that starts
/// at 18:00 or later pays the evening rate; up to four hours, a half day; longer, a day, plus
/// the evening when it runs past 20:00. A missing rate falls back to the next larger one.
pub fn day_rates(
    date: NaiveDate,
    start: u32,
    end: u32,
    rates: &EventRates,
) -> Option<Vec<(RateUnit, i64)>> {
    let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    if weekend && let Some(w) = rates.weekend {
        return Some(vec![(RateUnit::Weekend, w)]);
    }
    let minutes = i64::from(end.saturating_sub(start));
    let half_or_day = || {
        rates
            .half_day
            .filter(|_| minutes <= HALF_DAY_MINUTES)
            .map(|h| (RateUnit::HalfDay, h))
            .or(rates.day.map(|d| (RateUnit::Day, d)))
    };
    if start >= EVENING_STARTS {
        return rates
            .evening
            .map(|e| (RateUnit::Evening, e))
            .or_else(half_or_day)
            .map(|r| vec![r]);
    }
    let main = half_or_day()?;
    let mut out = vec![main];
    if end > EVENING_EXTENSION_AFTER
        && main.0 == RateUnit::Day
        && let Some(e) = rates.evening
    {
        out.push((RateUnit::Evening, e));
    }
    Some(out)
}

/// One line of a quote. Amounts in cents excluding VAT; VAT in basis points (2000 = 20 %).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub description: String,
    pub quantity: i64,
    pub unit_cents: i64,
    pub vat_bp: i32,
}

impl Line {
    pub fn amount(&self) -> i64 {
        self.quantity * self.unit_cents
    }
}

/// VAT of one rate on the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatTotal {
    pub vat_bp: i32,
    /// After the discount.
    pub base_cents: i64,
    pub vat_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Lines before the discount.
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub excl_vat_cents: i64,
    pub vat: Vec<VatTotal>,
    pub vat_cents: i64,
    pub incl_vat_cents: i64,
}

/// The totals of a quote: the discount (in basis points) comes off each VAT rate's base, so
/// that the VAT is computed on what is actually charged; VAT is rounded per rate.
pub fn totals(lines: &[Line], discount_bp: i32) -> Totals {
    let mut bases: Vec<(i32, i64)> = Vec::new();
    for line in lines {
        match bases.iter_mut().find(|(bp, _)| *bp == line.vat_bp) {
            Some((_, base)) => *base += line.amount(),
            None => bases.push((line.vat_bp, line.amount())),
        }
    }
    bases.sort_unstable_by_key(|(bp, _)| *bp);
    let gross_cents: i64 = bases.iter().map(|(_, b)| b).sum();
    let discount_bp = i64::from(discount_bp.clamp(0, 10_000));
    let vat: Vec<VatTotal> = bases
        .into_iter()
        .map(|(vat_bp, base)| {
            let base_cents = base - mul_div_round(base, discount_bp, 10_000);
            VatTotal {
                vat_bp,
                base_cents,
                vat_cents: mul_div_round(base_cents, i64::from(vat_bp), 10_000),
            }
        })
        .collect();
    let excl_vat_cents: i64 = vat.iter().map(|v| v.base_cents).sum();
    let vat_cents: i64 = vat.iter().map(|v| v.vat_cents).sum();
    Totals {
        gross_cents,
        discount_cents: gross_cents - excl_vat_cents,
        excl_vat_cents,
        vat,
        vat_cents,
        incl_vat_cents: excl_vat_cents + vat_cents,
    }
}

/// The deposit due at confirmation: a share of the total including VAT, to the cent.
pub fn deposit(total_incl_cents: i64, percent: u32) -> i64 {
    mul_div_round(total_incl_cents, i64::from(percent.min(100)), 100)
}

// ---------------------------------------------------------------------------------------------
// Cancellation.

/// How much of the total a cancellation costs, by notice: each step is (at least this many
/// days before the event, this percentage). Steps are kept sorted, most notice first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationScale(Vec<(u32, u32)>);

impl CancellationScale {
    /// "60:0,30:30,7:50,0:100": from 60 days' notice nothing, from 30 days 30 %, from 7 days
    /// 50 %, later 100 %. The last step must start at 0 days.
    pub fn parse(raw: &str) -> Option<CancellationScale> {
        let mut steps = Vec::new();
        for part in raw.split(',') {
            let (days, percent) = part.trim().split_once(':')?;
            let days = days.trim().parse::<u32>().ok()?;
            let percent = percent.trim().parse::<u32>().ok().filter(|p| *p <= 100)?;
            steps.push((days, percent));
        }
        steps.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
        steps.dedup_by_key(|s| s.0);
        (steps.last().map(|s| s.0) == Some(0)).then_some(CancellationScale(steps))
    }

    pub fn steps(&self) -> &[(u32, u32)] {
        &self.0
    }

    /// The percentage due when cancelling with `notice_days` before the event.
    pub fn percent(&self, notice_days: i64) -> u32 {
        self.0
            .iter()
            .find(|(days, _)| notice_days >= i64::from(*days))
            .map_or(100, |(_, p)| *p)
    }

    /// The fee, in cents, for cancelling an event of `total_incl_cents` on `today` when it
    /// starts on `first_day`.
    pub fn fee(&self, total_incl_cents: i64, today: NaiveDate, first_day: NaiveDate) -> Fee {
        let notice_days = (first_day - today).num_days();
        let percent = self.percent(notice_days);
        Fee {
            notice_days,
            percent,
            cents: mul_div_round(total_incl_cents, i64::from(percent), 100),
        }
    }
}

impl Default for CancellationScale {
    fn default() -> Self {
        CancellationScale(vec![(60, 0), (30, 30), (7, 50), (0, 100)])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fee {
    pub notice_days: i64,
    pub percent: u32,
    pub cents: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_past_its_expiry_shows_as_lapsed() {
        let expiry: DateTime<Utc> = "2026-12-01T23:00:00Z".parse().unwrap();
        let before = expiry - chrono::Duration::seconds(1);
        assert_eq!(
            shown_status(EventStatus::Option, Some(expiry), before),
            EventStatus::Option
        );
        assert_eq!(
            shown_status(EventStatus::Option, Some(expiry), expiry),
            EventStatus::Lapsed
        );
        assert_eq!(
            shown_status(EventStatus::Confirmed, Some(expiry), expiry),
            EventStatus::Confirmed
        );
        assert_eq!(
            shown_status(EventStatus::Option, None, expiry),
            EventStatus::Option
        );
    }
    use EventStatus as S;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_allowed_and_refused_transition() {
        let allowed = [
            (Action::SendQuote, S::Request, S::Quoted),
            (Action::SendQuote, S::Quoted, S::Quoted),
            (Action::SendQuote, S::Option, S::Option),
            (Action::PlaceOption, S::Quoted, S::Option),
            (Action::ReleaseOption, S::Option, S::Quoted),
            (Action::Lapse, S::Option, S::Lapsed),
            (Action::Confirm, S::Quoted, S::Confirmed),
            (Action::Confirm, S::Option, S::Confirmed),
            (Action::MarkDone, S::Confirmed, S::Done),
            (Action::Close, S::Done, S::Closed),
            (Action::Decline, S::Request, S::Declined),
            (Action::Decline, S::Quoted, S::Declined),
            (Action::Decline, S::Option, S::Declined),
            (Action::Cancel, S::Request, S::Cancelled),
            (Action::Cancel, S::Quoted, S::Cancelled),
            (Action::Cancel, S::Option, S::Cancelled),
            (Action::Cancel, S::Confirmed, S::Cancelled),
        ];
        let actions = [
            Action::SendQuote,
            Action::PlaceOption,
            Action::ReleaseOption,
            Action::Lapse,
            Action::Confirm,
            Action::MarkDone,
            Action::Close,
            Action::Decline,
            Action::Cancel,
        ];
        for action in actions {
            for from in EventStatus::ALL {
                let expected = allowed
                    .iter()
                    .find(|(a, f, _)| *a == action && *f == from)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => {
                        assert_eq!(next_status(from, action), Ok(to), "{action:?} {from:?}")
                    }
                    None => assert_eq!(
                        next_status(from, action),
                        Err(Refusal::NotFromStatus(from)),
                        "{action:?} from {from:?} must be refused"
                    ),
                }
            }
        }
    }

    #[test]
    fn confirming_needs_an_accepted_valid_quote_and_the_first_option() {
        let today = d(2026, 12, 1);
        let ok = Some(QuoteState {
            accepted: true,
            valid_until: today,
        });
        assert_eq!(check_confirm(S::Option, ok, Some(1), today), Ok(()));
        assert_eq!(check_confirm(S::Quoted, ok, None, today), Ok(()));
        assert_eq!(
            check_confirm(S::Quoted, None, None, today),
            Err(Refusal::QuoteNotAccepted)
        );
        let sent = Some(QuoteState {
            accepted: false,
            valid_until: today,
        });
        assert_eq!(
            check_confirm(S::Quoted, sent, None, today),
            Err(Refusal::QuoteNotAccepted)
        );
        assert_eq!(
            check_confirm(S::Quoted, ok, None, d(2026, 12, 2)),
            Err(Refusal::QuoteExpired)
        );
        assert_eq!(
            check_confirm(S::Option, ok, Some(2), today),
            Err(Refusal::NotFirstOption(2))
        );
        assert_eq!(
            check_confirm(S::Lapsed, ok, None, today),
            Err(Refusal::NotFromStatus(S::Lapsed))
        );
        assert_eq!(
            check_confirm(S::Request, ok, None, today),
            Err(Refusal::NotFromStatus(S::Request))
        );
    }

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
    }

    fn hold(id: i32, placed: u32, leaves: &[i32], span: (i64, i64)) -> Hold {
        Hold {
            event_id: id,
            placed_at: at(placed),
            leaves: leaves.to_vec(),
            span,
        }
    }

    #[test]
    fn options_rank_by_when_they_were_placed_on_shared_slots() {
        // 1 and 2 want the two halves (the whole hall); 3 wants one half at the same time;
        // 4 the same half another day.
        let holds = vec![
            hold(2, 9, &[10, 11], (100, 200)),
            hold(1, 8, &[10, 11], (100, 200)),
            hold(3, 10, &[11], (150, 250)),
            hold(4, 7, &[11], (300, 400)),
        ];
        let r = ranks(&holds);
        assert_eq!(r[&1], 1);
        assert_eq!(r[&2], 2);
        assert_eq!(r[&3], 3);
        assert_eq!(r[&4], 1);
        // The first lapses: the second is promoted, the third moves up but is not first.
        assert_eq!(promoted_when_removed(&holds, 1), vec![2]);
        // Times that only touch do not clash.
        let touching = vec![hold(1, 8, &[10], (100, 200)), hold(2, 9, &[10], (200, 300))];
        assert_eq!(ranks(&touching)[&2], 1);
    }

    #[test]
    fn options_lapse_at_their_expiry() {
        assert!(!option_lapsed(at(12), at(11)));
        assert!(option_lapsed(at(12), at(12)));
        assert!(option_lapsed(at(12), at(13)));
    }

    const HALL: EventRates = EventRates {
        half_day: Some(70_000),
        day: Some(120_000),
        evening: Some(90_000),
        weekend: Some(150_000),
    };

    #[test]
    fn day_rates_by_duration_evening_and_weekend() {
        let tue = d(2026, 12, 15);
        let sat = d(2026, 12, 19);
        // Morning: a half day.
        assert_eq!(
            day_rates(tue, 9 * 60, 13 * 60, &HALL),
            Some(vec![(RateUnit::HalfDay, 70_000)])
        );
        // Four hours and a quarter: a day.
        assert_eq!(
            day_rates(tue, 9 * 60, 13 * 60 + 15, &HALL),
            Some(vec![(RateUnit::Day, 120_000)])
        );
        // A day that runs to 22:00 also pays the evening.
        assert_eq!(
            day_rates(tue, 9 * 60, 22 * 60, &HALL),
            Some(vec![(RateUnit::Day, 120_000), (RateUnit::Evening, 90_000)])
        );
        // An evening event.
        assert_eq!(
            day_rates(tue, 19 * 60, 23 * 60, &HALL),
            Some(vec![(RateUnit::Evening, 90_000)])
        );
        // Saturday.
        assert_eq!(
            day_rates(sat, 9 * 60, 13 * 60, &HALL),
            Some(vec![(RateUnit::Weekend, 150_000)])
        );
        // No weekend rate: the weekday rules apply; no evening rate: a half day.
        let plain = EventRates {
            weekend: None,
            evening: None,
            ..HALL
        };
        assert_eq!(
            day_rates(sat, 19 * 60, 22 * 60, &plain),
            Some(vec![(RateUnit::HalfDay, 70_000)])
        );
        assert_eq!(
            day_rates(tue, 9 * 60, 12 * 60, &EventRates::default()),
            None
        );
    }

    fn line(qty: i64, unit: i64, vat: i32) -> Line {
        Line {
            description: "x".into(),
            quantity: qty,
            unit_cents: unit,
            vat_bp: vat,
        }
    }

    #[test]
    fn totals_with_vat_per_rate_and_a_discount() {
        // The hall for a day (1,200 €) and a sound system (150 €), both at 20 %.
        let t = totals(&[line(1, 120_000, 2000), line(1, 15_000, 2000)], 0);
        assert_eq!(t.excl_vat_cents, 135_000);
        assert_eq!(t.vat_cents, 27_000);
        assert_eq!(t.incl_vat_cents, 162_000);
        // 10 % off.
        let t = totals(&[line(1, 120_000, 2000), line(1, 15_000, 2000)], 1000);
        assert_eq!(t.discount_cents, 13_500);
        assert_eq!(t.excl_vat_cents, 121_500);
        assert_eq!(t.vat_cents, 24_300);
        assert_eq!(t.incl_vat_cents, 145_800);
        // Two rates: a room at 20 % and a meal at 10 %, each VAT rounded on its own base.
        let t = totals(&[line(1, 10_001, 2000), line(3, 1_235, 1000)], 0);
        assert_eq!(
            t.vat,
            vec![
                VatTotal {
                    vat_bp: 1000,
                    base_cents: 3_705,
                    vat_cents: 371
                },
                VatTotal {
                    vat_bp: 2000,
                    base_cents: 10_001,
                    vat_cents: 2_000
                },
            ]
        );
        assert_eq!(t.incl_vat_cents, 10_001 + 3_705 + 371 + 2_000);
        // A discount over 100 % is capped.
        assert_eq!(totals(&[line(1, 100, 2000)], 20_000).incl_vat_cents, 0);
        assert_eq!(deposit(145_800, 30), 43_740);
        assert_eq!(deposit(101, 30), 30);
    }

    #[test]
    fn cancellation_fees_by_notice() {
        let scale = CancellationScale::default();
        let event = d(2027, 3, 1);
        assert_eq!(scale.fee(100_000, d(2026, 12, 1), event).cents, 0);
        let f = scale.fee(100_000, d(2027, 1, 30), event);
        assert_eq!((f.notice_days, f.percent, f.cents), (30, 30, 30_000));
        assert_eq!(scale.fee(100_000, d(2027, 2, 20), event).percent, 50);
        assert_eq!(scale.fee(100_000, d(2027, 2, 27), event).percent, 100);
        assert_eq!(scale.fee(100_000, d(2027, 3, 1), event).percent, 100);
        // Parsing: any order, must end at 0 days.
        let custom = CancellationScale::parse("0:100, 90:0 ,14:40").unwrap();
        assert_eq!(custom.steps(), &[(90, 0), (14, 40), (0, 100)]);
        assert_eq!(custom.percent(20), 40);
        assert!(CancellationScale::parse("30:30").is_none());
        assert!(CancellationScale::parse("30:130,0:100").is_none());
        assert!(CancellationScale::parse("trente").is_none());
    }
}
