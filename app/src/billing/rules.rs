//! Invoicing's pure rules: proration, VAT per rate, deposits and their deduction, credit-note
//! and payment limits, numbering, reminders and the mandatory mentions. No database here.
//!
//! Rounding, everywhere: half away from zero, to the cent. VAT is computed once per rate on
//! the sum of the invoice's lines at that rate (EN 16931 BR-CO-17), never line by line.
use super::model::{InvoiceDoc, InvoiceKind, VatLine};
use chrono::{Datelike, Duration, NaiveDate};

/// `value × numerator / denominator`, rounded half away from zero.
pub fn mul_div_round(value: i64, numerator: i64, denominator: i64) -> i64 {
    if denominator == 0 {
        return 0;
    }
    let p = i128::from(value) * i128::from(numerator);
    let d = i128::from(denominator).abs();
    let q = (p.abs() + d / 2) / d;
    let signed = if (p < 0) != (denominator < 0) { -q } else { q };
    i64::try_from(signed).unwrap_or(if signed < 0 { i64::MIN } else { i64::MAX })
}

/// The last day of the month that starts on `month_start`.
pub fn month_end(month_start: NaiveDate) -> NaiveDate {
    next_month(month_start) - Duration::days(1)
}

/// The first day of the next month.
pub fn next_month(month_start: NaiveDate) -> NaiveDate {
    let (y, m) = if month_start.month() == 12 {
        (month_start.year() + 1, 1)
    } else {
        (month_start.year(), month_start.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(month_start)
}

/// The first day of the month before.
pub fn previous_month(month_start: NaiveDate) -> NaiveDate {
    let (y, m) = if month_start.month() == 1 {
        (month_start.year() - 1, 12)
    } else {
        (month_start.year(), month_start.month() - 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(month_start)
}

/// The first day of the month `d` falls in.
pub fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// A stretch of a month a lease covers under one of its versions, ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Index into the versions given.
    pub version: usize,
}

/// The days of the month starting `month_start` that a lease covers, split by version.
/// `versions` are the days each version takes effect, in order (the first is the lease's
/// start). A lease that does not reach into the month gives nothing.
pub fn lease_segments(
    month_start: NaiveDate,
    lease_start: NaiveDate,
    lease_end: Option<NaiveDate>,
    versions: &[NaiveDate],
) -> Vec<Segment> {
    let first = month_start.max(lease_start);
    let last = lease_end.map_or(month_end(month_start), |e| e.min(month_end(month_start)));
    let mut out = Vec::new();
    if first > last {
        return out;
    }
    for (i, from) in versions.iter().enumerate() {
        let until = versions
            .get(i + 1)
            .map(|next| *next - Duration::days(1))
            .unwrap_or(NaiveDate::MAX);
        let seg_from = first.max(*from);
        let seg_to = last.min(until);
        if seg_from <= seg_to {
            out.push(Segment {
                from: seg_from,
                to: seg_to,
                version: i,
            });
        }
    }
    out
}

/// A monthly fee for `days` of a month of `month_days`: whole months are not divided, so a
/// full month costs exactly the fee.
pub fn prorate(monthly_cents: i64, days: i64, month_days: i64) -> i64 {
    if days >= month_days {
        monthly_cents
    } else {
        mul_div_round(monthly_cents, days, month_days)
    }
}

/// Days from `from` to `to`, both included.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// The totals of a set of lines, `(net excluding VAT, VAT rate)`: the VAT of each rate on
/// the sum of that rate's lines, rates in rising order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub vat: Vec<VatLine>,
    pub excl_cents: i64,
    pub vat_cents: i64,
    pub incl_cents: i64,
}

pub fn totals(lines: impl IntoIterator<Item = (i64, i32)>) -> Totals {
    let mut bases: Vec<(i32, i64)> = Vec::new();
    for (net, bp) in lines {
        match bases.iter_mut().find(|(rate, _)| *rate == bp) {
            Some((_, base)) => *base += net,
            None => bases.push((bp, net)),
        }
    }
    bases.sort_unstable_by_key(|(bp, _)| *bp);
    let vat: Vec<VatLine> = bases
        .into_iter()
        .map(|(vat_bp, base_cents)| VatLine {
            vat_bp,
            base_cents,
            vat_cents: mul_div_round(base_cents, i64::from(vat_bp), 10_000),
        })
        .collect();
    let excl_cents = vat.iter().map(|v| v.base_cents).sum();
    let vat_cents = vat.iter().map(|v| v.vat_cents).sum();
    Totals {
        vat,
        excl_cents,
        vat_cents,
        incl_cents: excl_cents + vat_cents,
    }
}

/// Splits an amount including VAT (an event's deposit) over VAT rates in proportion to
/// `weights` (each rate's share of the quote, including VAT), and gives each rate's base
/// excluding VAT. The shares add up to `incl_cents` exactly (the last rate takes the
/// rounding); each base is its share without VAT, rounded.
pub fn split_by_rate(incl_cents: i64, weights: &[(i32, i64)]) -> Vec<(i32, i64)> {
    let total: i64 = weights.iter().map(|(_, w)| w).sum();
    if total <= 0 || incl_cents <= 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut given = 0;
    for (i, (bp, w)) in weights.iter().enumerate() {
        let share = if i + 1 == weights.len() {
            incl_cents - given
        } else {
            mul_div_round(incl_cents, *w, total)
        };
        given += share;
        if share > 0 {
            out.push((*bp, mul_div_round(share, 10_000, 10_000 + i64::from(*bp))));
        }
    }
    out
}

/// Why a credit note was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditRefused {
    /// Only an issued invoice can be credited.
    NotIssued,
    /// A credit note is not itself credited.
    NotAnInvoice,
    /// More than the line has left to credit (excluding VAT): the line's remaining amount.
    AboveLine { line_id: i32, left_cents: i64 },
    /// The line is not on the invoice.
    UnknownLine(i32),
    /// More, including VAT, than the invoice has left to credit.
    AboveInvoice { left_cents: i64 },
}

/// One credit-note line against an invoice line: at most what the line has left.
pub fn check_credit_line(
    line_id: i32,
    line_net: i64,
    already_credited: i64,
    asked: i64,
) -> Result<(), CreditRefused> {
    let left = (line_net - already_credited).max(0);
    if asked <= 0 || asked > left {
        return Err(CreditRefused::AboveLine {
            line_id,
            left_cents: left,
        });
    }
    Ok(())
}

/// The whole credit note, with its VAT: at most what the invoice has left to credit.
pub fn check_credit_total(
    invoice_incl: i64,
    already_credited: i64,
    credit_incl: i64,
) -> Result<(), CreditRefused> {
    let left = (invoice_incl - already_credited).max(0);
    if credit_incl > left {
        return Err(CreditRefused::AboveInvoice { left_cents: left });
    }
    Ok(())
}

/// What an invoice still asks to be paid.
pub fn due(incl: i64, paid: i64, credited: i64) -> i64 {
    (incl - paid - credited).max(0)
}

/// Why a payment was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentRefused {
    /// More than the invoice has left to pay: what it has left.
    AboveDue { invoice_id: i32, due_cents: i64 },
    /// Not an issued invoice of this buyer.
    UnknownInvoice(i32),
}

pub fn check_allocation(invoice_id: i32, due_cents: i64, asked: i64) -> Result<(), PaymentRefused> {
    if asked > due_cents {
        return Err(PaymentRefused::AboveDue {
            invoice_id,
            due_cents,
        });
    }
    Ok(())
}

/// Spreads an amount over invoices, oldest first, each up to what it has left: what the
/// payment form suggests.
pub fn allocate_oldest_first(amount: i64, dues: &[(i32, i64)]) -> Vec<(i32, i64)> {
    let mut left = amount;
    let mut out = Vec::new();
    for (id, due) in dues {
        if left <= 0 {
            break;
        }
        let take = left.min(*due);
        if take > 0 {
            out.push((*id, take));
            left -= take;
        }
    }
    out
}

/// "FA-2026-000123": series, year, and the number in the year's series on six digits.
pub fn number(series: &str, year: i32, seq: i32) -> String {
    format!("{series}-{year}-{seq:06}")
}

/// The due date: `payment_days` after the issue date.
pub fn due_date(issue: NaiveDate, payment_days: i32) -> NaiveDate {
    issue + Duration::days(i64::from(payment_days.clamp(0, 60)))
}

/// How late an overdue invoice is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum AgeBand {
    UpTo30,
    From31To60,
    Over60,
}

/// The age band of an invoice due on `due_date`, or None when it is not overdue.
pub fn age_band(due_date: NaiveDate, today: NaiveDate) -> Option<AgeBand> {
    let late = (today - due_date).num_days();
    match late {
        i64::MIN..=0 => None,
        1..=30 => Some(AgeBand::UpTo30),
        31..=60 => Some(AgeBand::From31To60),
        _ => Some(AgeBand::Over60),
    }
}

/// The reminder to send now, if any: the last step of the schedule whose day has come and
/// that was not sent (`sent`: how many steps already went). Steps are never sent twice, and a
/// late start sends only the latest step due, not a salvo.
pub fn reminder_due(
    days: &[i32],
    due_date: NaiveDate,
    today: NaiveDate,
    sent: usize,
) -> Option<usize> {
    let late = (today - due_date).num_days();
    let reached = days.iter().filter(|d| i64::from(**d) <= late).count();
    (reached > sent).then(|| reached - 1)
}

/// A mandatory mention of a French invoice (CGI art. 242 nonies A) or credit note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mention {
    Number,
    IssueDate,
    ServicePeriod,
    SellerName,
    SellerAddress,
    SellerSiren,
    SellerVatNumber,
    BuyerName,
    BuyerAddress,
    BuyerSiren,
    Nature,
    LineDetails,
    VatPerRate,
    Totals,
    DueDate,
    PenaltyRate,
    RecoveryIndemnity,
    EarlyDiscount,
    Exemption,
    CorrectedInvoice,
}

/// The mentions an issued document lacks. An empty list: it can go out.
pub fn missing_mentions(doc: &InvoiceDoc) -> Vec<Mention> {
    let mut missing = Vec::new();
    let mut need = |ok: bool, m: Mention| {
        if !ok {
            missing.push(m);
        }
    };
    need(
        doc.number.as_deref().is_some_and(|n| !n.is_empty()),
        Mention::Number,
    );
    need(doc.issue_date.is_some(), Mention::IssueDate);
    need(doc.period.0 <= doc.period.1, Mention::ServicePeriod);
    match &doc.seller {
        Some(s) => {
            need(!s.name.is_empty(), Mention::SellerName);
            need(
                !s.address.street.is_empty() && !s.address.city.is_empty(),
                Mention::SellerAddress,
            );
            need(s.siren.len() == 9, Mention::SellerSiren);
            need(!s.vat_number.is_empty(), Mention::SellerVatNumber);
            need(s.penalty_rate_bp > 0, Mention::PenaltyRate);
            need(!s.early_discount.is_empty(), Mention::EarlyDiscount);
        }
        None => need(false, Mention::SellerName),
    }
    need(!doc.buyer.name.is_empty(), Mention::BuyerName);
    need(
        !doc.buyer.address.street.is_empty() && !doc.buyer.address.city.is_empty(),
        Mention::BuyerAddress,
    );
    // A French business buyer's SIREN is a mention since the e-invoicing reform.
    need(
        !doc.buyer.is_business || doc.buyer.address.country != "FR" || doc.buyer.siren.is_some(),
        Mention::BuyerSiren,
    );
    need(
        !doc.lines.is_empty()
            && doc.lines.iter().all(|l| {
                !l.description.is_empty()
                    && l.quantity != 0
                    && l.net_cents == l.quantity * l.unit_cents
            }),
        Mention::LineDetails,
    );
    let t = totals(doc.lines.iter().map(|l| (l.net_cents, l.vat_bp)));
    need(t.vat == doc.vat, Mention::VatPerRate);
    need(
        t.excl_cents == doc.excl_cents
            && t.vat_cents == doc.vat_cents
            && t.incl_cents == doc.incl_cents,
        Mention::Totals,
    );
    need(
        doc.kind == InvoiceKind::CreditNote || doc.due_date.is_some(),
        Mention::DueDate,
    );
    need(
        doc.lines
            .iter()
            .all(|l| l.vat_bp != 0 || l.exemption.as_deref().is_some_and(|e| !e.is_empty())),
        Mention::Exemption,
    );
    need(
        doc.kind == InvoiceKind::Invoice || doc.corrects.is_some(),
        Mention::CorrectedInvoice,
    );
    // The €40 indemnity is printed for every business buyer; the document model prints it
    // from `buyer.is_business`, so there is nothing to miss unless the buyer is unknown.
    need(
        !doc.buyer.is_business || doc.seller.is_some(),
        Mention::RecoveryIndemnity,
    );
    missing
}

/// The fixed indemnity for recovery costs owed by a business buyer paying late (Code de
/// commerce, art. D441-5).
pub const RECOVERY_INDEMNITY_CENTS: i64 = 4_000;

#[cfg(test)]
mod tests {
    use super::super::model::*;
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(mul_div_round(5, 1, 2), 3);
        assert_eq!(mul_div_round(-5, 1, 2), -3);
        assert_eq!(mul_div_round(4, 1, 3), 1);
        assert_eq!(mul_div_round(1, 1, 0), 0);
    }

    #[test]
    fn a_full_month_is_the_fee_and_a_partial_one_is_prorated_by_day() {
        let dec = d(2026, 12, 1);
        let s = lease_segments(dec, d(2025, 1, 1), None, &[d(2025, 1, 1)]);
        assert_eq!(
            s,
            vec![Segment {
                from: dec,
                to: d(2026, 12, 31),
                version: 0
            }]
        );
        assert_eq!(prorate(45_000, 31, 31), 45_000);
        // From 10 December: 22 days of 31.
        let s = lease_segments(dec, d(2026, 12, 10), None, &[d(2026, 12, 10)]);
        assert_eq!(days_between(s[0].from, s[0].to), 22);
        assert_eq!(prorate(45_000, 22, 31), 31_935); // 31,935.48 rounds down
        // February 2027 has 28 days; a lease ending on the 14th bills half.
        let feb = d(2027, 2, 1);
        let s = lease_segments(feb, d(2026, 1, 1), Some(d(2027, 2, 14)), &[d(2026, 1, 1)]);
        assert_eq!(days_between(s[0].from, s[0].to), 14);
        assert_eq!(prorate(10_001, 14, 28), 5_001); // 5,000.5 rounds up
        // A lease ended before the month, or starting after it, bills nothing.
        assert!(
            lease_segments(dec, d(2025, 1, 1), Some(d(2026, 11, 30)), &[d(2025, 1, 1)]).is_empty()
        );
        assert!(lease_segments(dec, d(2027, 1, 1), None, &[d(2027, 1, 1)]).is_empty());
    }

    #[test]
    fn an_amendment_mid_month_splits_the_month_between_versions() {
        let dec = d(2026, 12, 1);
        let s = lease_segments(dec, d(2026, 1, 1), None, &[d(2026, 1, 1), d(2026, 12, 16)]);
        assert_eq!(
            s,
            vec![
                Segment {
                    from: dec,
                    to: d(2026, 12, 15),
                    version: 0
                },
                Segment {
                    from: d(2026, 12, 16),
                    to: d(2026, 12, 31),
                    version: 1
                },
            ]
        );
        // An amendment effective from next month leaves this month to the first version.
        let s = lease_segments(dec, d(2026, 1, 1), None, &[d(2026, 1, 1), d(2027, 1, 1)]);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].version, 0);
    }

    #[test]
    fn vat_is_computed_per_rate_on_the_total_not_per_line() {
        // Three lines of €0.07 at 20 %: line by line, VAT would be 3 × 1 cent; on the rate's
        // total (21 cents) it is 4 cents.
        let t = totals([(7, 2000), (7, 2000), (7, 2000)]);
        assert_eq!(
            t.vat,
            vec![VatLine {
                vat_bp: 2000,
                base_cents: 21,
                vat_cents: 4
            }]
        );
        let t = totals([(45_000, 0), (10_000, 2000), (3_333, 1000), (1_667, 1000)]);
        assert_eq!(
            t.vat,
            vec![
                VatLine {
                    vat_bp: 0,
                    base_cents: 45_000,
                    vat_cents: 0
                },
                VatLine {
                    vat_bp: 1000,
                    base_cents: 5_000,
                    vat_cents: 500
                },
                VatLine {
                    vat_bp: 2000,
                    base_cents: 10_000,
                    vat_cents: 2_000
                },
            ]
        );
        assert_eq!(
            (t.excl_cents, t.vat_cents, t.incl_cents),
            (60_000, 2_500, 62_500)
        );
    }

    #[test]
    fn a_deposit_splits_over_rates_and_its_deduction_leaves_the_balance() {
        // A quote of €1,000 at 20 % and €200 at 10 %: €1,200 + €220 = €1,420 incl. VAT.
        let weights = [(1000, 22_000), (2000, 120_000)];
        let deposit = 42_600; // 30 %
        let split = split_by_rate(deposit, &weights);
        // 10 %: 6,600 incl. → 6,000 base; 20 %: 36,000 incl. → 30,000 base.
        assert_eq!(split, vec![(1000, 6_000), (2000, 30_000)]);
        let deposit_invoice = totals(split.iter().map(|(bp, base)| (*base, *bp)));
        assert_eq!(deposit_invoice.incl_cents, deposit);
        // The balance: every quote line, less the deposit's lines.
        let mut lines = vec![(100_000, 2000), (20_000, 1000)];
        lines.extend(split.iter().map(|(bp, base)| (-base, *bp)));
        let balance = totals(lines);
        assert_eq!(balance.incl_cents, 142_000 - deposit);
        assert_eq!(balance.vat_cents, 22_000 - deposit_invoice.vat_cents);
        assert!(split_by_rate(0, &weights).is_empty());
    }

    #[test]
    fn a_credit_note_takes_at_most_what_is_left() {
        assert_eq!(check_credit_line(1, 10_000, 0, 10_000), Ok(()));
        assert_eq!(
            check_credit_line(1, 10_000, 4_000, 7_000),
            Err(CreditRefused::AboveLine {
                line_id: 1,
                left_cents: 6_000
            })
        );
        assert!(check_credit_line(1, 10_000, 0, 0).is_err());
        assert_eq!(check_credit_total(12_000, 2_000, 10_000), Ok(()));
        assert_eq!(
            check_credit_total(12_000, 2_000, 10_001),
            Err(CreditRefused::AboveInvoice { left_cents: 10_000 })
        );
    }

    #[test]
    fn payments_go_to_what_is_due() {
        assert_eq!(due(12_000, 5_000, 2_000), 5_000);
        assert_eq!(due(12_000, 12_000, 2_000), 0);
        assert_eq!(check_allocation(3, 5_000, 5_000), Ok(()));
        assert_eq!(
            check_allocation(3, 5_000, 5_001),
            Err(PaymentRefused::AboveDue {
                invoice_id: 3,
                due_cents: 5_000
            })
        );
        assert_eq!(
            allocate_oldest_first(15_000, &[(1, 10_000), (2, 10_000), (3, 1)]),
            vec![(1, 10_000), (2, 5_000)]
        );
    }

    #[test]
    fn numbers_and_due_dates() {
        assert_eq!(number("FA", 2026, 123), "FA-2026-000123");
        assert_eq!(due_date(d(2026, 12, 1), 30), d(2026, 12, 31));
        assert_eq!(due_date(d(2026, 12, 1), 90), d(2027, 1, 30));
        assert_eq!(next_month(d(2026, 12, 1)), d(2027, 1, 1));
        assert_eq!(previous_month(d(2026, 1, 1)), d(2025, 12, 1));
        assert_eq!(month_end(d(2028, 2, 1)), d(2028, 2, 29));
    }

    #[test]
    fn overdue_invoices_fall_in_age_bands() {
        let due = d(2026, 10, 1);
        assert_eq!(age_band(due, due), None);
        assert_eq!(age_band(due, d(2026, 10, 31)), Some(AgeBand::UpTo30));
        assert_eq!(age_band(due, d(2026, 11, 1)), Some(AgeBand::From31To60));
        assert_eq!(age_band(due, d(2026, 12, 1)), Some(AgeBand::Over60));
    }

    #[test]
    fn reminders_follow_the_schedule_once_each() {
        let due = d(2026, 10, 1);
        let days = [7, 21, 45];
        assert_eq!(reminder_due(&days, due, d(2026, 10, 7), 0), None);
        assert_eq!(reminder_due(&days, due, d(2026, 10, 8), 0), Some(0));
        assert_eq!(reminder_due(&days, due, d(2026, 10, 9), 1), None);
        assert_eq!(reminder_due(&days, due, d(2026, 10, 22), 1), Some(1));
        // Back after a long outage: only the latest step due goes out.
        assert_eq!(reminder_due(&days, due, d(2026, 12, 1), 0), Some(2));
        assert_eq!(reminder_due(&days, due, d(2027, 1, 1), 3), None);
    }

    fn seller() -> Seller {
        Seller {
            name: "Les Écossolies".into(),
            legal_form: "Association loi 1901".into(),
            share_capital_cents: None,
            address: Address {
                street: "8 rue Saint-Domingue".into(),
                postcode: "44200".into(),
                city: "Nantes".into(),
                country: "FR".into(),
            },
            siren: "404833048".into(),
            siret: "40483304800022".into(),
            rcs_city: String::new(),
            vat_number: "FR83404833048".into(),
            iban: "FR7630006000011234567890189".into(),
            bic: "AGRIFRPP847".into(),
            penalty_rate_bp: 1_215,
            payment_days: 30,
            vat_on_debits: false,
            early_discount: "Pas d'escompte pour paiement anticipé".into(),
        }
    }

    fn line(net: i64, vat_bp: i32, exemption: Option<&str>) -> LineView {
        LineView {
            id: 1,
            kind: LineKind::Lease,
            description: "Bureau 1.01, décembre 2026".into(),
            period: None,
            quantity: 1,
            unit_cents: net,
            net_cents: net,
            vat_bp,
            exemption: exemption.map(str::to_owned),
            reason: None,
            credited_cents: 0,
        }
    }

    fn doc() -> InvoiceDoc {
        let lines = vec![
            line(45_000, 2000, None),
            line(10_000, 0, Some(EXEMPTION_BARE_PREMISES)),
        ];
        let t = totals(lines.iter().map(|l| (l.net_cents, l.vat_bp)));
        InvoiceDoc {
            id: 1,
            kind: InvoiceKind::Invoice,
            status: InvoiceStatus::Issued,
            number: Some("FA-2026-000001".into()),
            issue_date: Some(d(2026, 12, 1)),
            period: (d(2026, 12, 1), d(2026, 12, 31)),
            due_date: Some(d(2026, 12, 31)),
            seller: Some(seller()),
            buyer: BuyerView {
                name: "Coop'Énergie des Îles".into(),
                address: seller().address,
                siren: Some("552100554".into()),
                vat_number: None,
                email: "compta@coop-energie.example".into(),
                is_business: true,
            },
            delivery_address: None,
            nature: Nature::Services,
            lines,
            vat: t.vat.clone(),
            excl_cents: t.excl_cents,
            vat_cents: t.vat_cents,
            incl_cents: t.incl_cents,
            paid_cents: 0,
            credited_cents: 0,
            due_cents: t.incl_cents,
            corrects: None,
            reason: String::new(),
            credit_notes: Vec::new(),
            payments: Vec::new(),
            run_id: None,
            organisation_id: Some(1),
        }
    }

    #[test]
    fn a_complete_invoice_lacks_no_mention() {
        assert_eq!(missing_mentions(&doc()), Vec::<Mention>::new());
    }

    #[test]
    fn each_mention_is_checked() {
        type Spoil = Box<dyn Fn(&mut InvoiceDoc)>;
        let cases: Vec<(Spoil, Mention)> = vec![
            (Box::new(|d| d.number = None), Mention::Number),
            (Box::new(|d| d.issue_date = None), Mention::IssueDate),
            (
                Box::new(|d| d.period = (d.period.1, d.period.0 - Duration::days(1))),
                Mention::ServicePeriod,
            ),
            (Box::new(|d| d.seller = None), Mention::SellerName),
            (
                Box::new(|d| {
                    if let Some(s) = d.seller.as_mut() {
                        s.address.street.clear()
                    }
                }),
                Mention::SellerAddress,
            ),
            (
                Box::new(|d| {
                    if let Some(s) = d.seller.as_mut() {
                        s.siren.clear()
                    }
                }),
                Mention::SellerSiren,
            ),
            (
                Box::new(|d| {
                    if let Some(s) = d.seller.as_mut() {
                        s.vat_number.clear()
                    }
                }),
                Mention::SellerVatNumber,
            ),
            (
                Box::new(|d| {
                    if let Some(s) = d.seller.as_mut() {
                        s.penalty_rate_bp = 0
                    }
                }),
                Mention::PenaltyRate,
            ),
            (
                Box::new(|d| {
                    if let Some(s) = d.seller.as_mut() {
                        s.early_discount.clear()
                    }
                }),
                Mention::EarlyDiscount,
            ),
            (Box::new(|d| d.buyer.name.clear()), Mention::BuyerName),
            (
                Box::new(|d| d.buyer.address.city.clear()),
                Mention::BuyerAddress,
            ),
            (Box::new(|d| d.buyer.siren = None), Mention::BuyerSiren),
            (
                Box::new(|d| d.lines[0].description.clear()),
                Mention::LineDetails,
            ),
            (Box::new(|d| d.vat[0].vat_cents += 1), Mention::VatPerRate),
            (Box::new(|d| d.incl_cents += 1), Mention::Totals),
            (Box::new(|d| d.due_date = None), Mention::DueDate),
            (
                Box::new(|d| d.lines[1].exemption = None),
                Mention::Exemption,
            ),
            (
                Box::new(|d| d.kind = InvoiceKind::CreditNote),
                Mention::CorrectedInvoice,
            ),
        ];
        for (spoil, mention) in cases {
            let mut doc = doc();
            spoil(&mut doc);
            assert!(
                missing_mentions(&doc).contains(&mention),
                "{mention:?} not reported"
            );
        }
        // A person is billed without a SIREN.
        let mut person = doc();
        person.buyer.is_business = false;
        person.buyer.siren = None;
        assert_eq!(missing_mentions(&person), Vec::<Mention>::new());
    }
}
