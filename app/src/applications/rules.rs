//! The pure rules of applications and the committee: whose votes carry a decision, and the
//! diversity panel's shares before and after a candidate.
use super::model::{
    Decision, Dimension, DimensionTable, DimensionValue, DiversityPanel, ShareRow, TargetCheck,
};
use crate::hosting::model::ApplicationStatus;
use crate::hosting::rules::{Share, Target, Tenant, broken_by, meets, shares};
use std::collections::BTreeMap;

/// Whether the votes carry the decision: accepting takes more votes for than against, and
/// refusing cannot go against a majority for. Wait-listing is open to any count.
pub fn votes_carry(d: &Decision) -> bool {
    match d.outcome {
        ApplicationStatus::Accepted => d.votes_for > d.votes_against,
        ApplicationStatus::Refused => d.votes_for <= d.votes_against,
        _ => true,
    }
}

/// The panel for one candidate: each dimension's shares today and with the candidate, side by
/// side, and each target checked before and after.
pub fn panel(today: &[Tenant], candidate: &Tenant, targets: &[Target]) -> DiversityPanel {
    let mut after = today.to_vec();
    after.push(candidate.clone());
    let table = |dimension: Dimension, key: &dyn Fn(&Tenant) -> DimensionValue| {
        let before: BTreeMap<DimensionValue, Share> = shares(today, key);
        let with: BTreeMap<DimensionValue, Share> = shares(&after, key);
        let own = key(candidate);
        let rows = with
            .iter()
            .map(|(value, after)| ShareRow {
                value: *value,
                candidate: *value == own,
                before: before.get(value).copied().unwrap_or_default(),
                after: *after,
            })
            .collect();
        DimensionTable { dimension, rows }
    };
    let broken = broken_by(targets, today, candidate);
    DiversityPanel {
        hosted: today.len() as u32,
        hosted_m2: today.iter().map(|t| t.area_m2.max(0)).sum(),
        candidate_m2: candidate.area_m2,
        tables: vec![
            table(Dimension::LegalForm, &|t| {
                DimensionValue::LegalForm(t.legal_form)
            }),
            table(Dimension::Sector, &|t| DimensionValue::Sector(t.sector)),
            table(Dimension::Size, &|t| DimensionValue::Size(t.size)),
            table(Dimension::Age, &|t| DimensionValue::Age(t.age)),
        ],
        targets: targets
            .iter()
            .map(|&target| TargetCheck {
                target,
                before: meets(target, today),
                after: meets(target, &after),
                broken: broken.contains(&target),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hosting::model::{AgeBand, SizeBand};
    use crate::organisations::model::{LegalForm, Sector};

    fn tenant(legal_form: LegalForm, sector: Sector, headcount: i32, area_m2: i64) -> Tenant {
        Tenant {
            legal_form,
            sector,
            size: SizeBand::of(headcount),
            age: Some(AgeBand::of(2020, 2026)),
            area_m2,
        }
    }

    fn decision(outcome: ApplicationStatus, votes_for: i32, votes_against: i32) -> Decision {
        Decision {
            outcome,
            votes_for,
            votes_against,
            votes_abstain: 0,
            reasons: "r".into(),
        }
    }

    #[test]
    fn acceptance_needs_a_majority_for() {
        use ApplicationStatus::*;
        assert!(votes_carry(&decision(Accepted, 3, 2)));
        assert!(!votes_carry(&decision(Accepted, 2, 2)));
        assert!(votes_carry(&decision(Refused, 2, 2)));
        assert!(!votes_carry(&decision(Refused, 3, 2)));
        assert!(votes_carry(&decision(WaitListed, 5, 0)));
    }

    #[test]
    fn the_panel_shows_each_value_before_and_after() {
        let today = [
            tenant(LegalForm::Association, Sector::Culture, 2, 20),
            tenant(LegalForm::Association, Sector::Health, 5, 20),
            tenant(LegalForm::Scop, Sector::Culture, 12, 60),
        ];
        let candidate = tenant(LegalForm::Scic, Sector::Culture, 4, 20);
        let targets = [
            Target::MaxSectorPercent { percent: 60 },
            Target::MinLegalForms { count: 3 },
        ];
        let p = panel(&today, &candidate, &targets);
        assert_eq!((p.hosted, p.hosted_m2, p.candidate_m2), (3, 100, 20));
        let forms = &p.tables[0];
        assert_eq!(forms.dimension, Dimension::LegalForm);
        let scic = forms
            .rows
            .iter()
            .find(|r| r.value == DimensionValue::LegalForm(LegalForm::Scic))
            .unwrap();
        // New to the hub: nothing before, 1 of 4 after (250 ‰), 20 of 120 m² (167 ‰).
        assert!(scic.candidate);
        assert_eq!(scic.before, Share::default());
        assert_eq!(
            (scic.after.organisations_permille, scic.after.area_permille),
            (250, 167)
        );
        let assoc = forms
            .rows
            .iter()
            .find(|r| r.value == DimensionValue::LegalForm(LegalForm::Association))
            .unwrap();
        assert_eq!(
            (
                assoc.before.organisations_permille,
                assoc.after.organisations_permille
            ),
            (667, 500)
        );
        // Culture goes from 2 of 3 (667 ‰, above 60 %) to 3 of 4 (750 ‰): flagged, named.
        let sector = p.targets[0];
        assert_eq!(
            (sector.before, sector.after, sector.broken),
            (false, false, true)
        );
        // A third legal form meets the target of three.
        let forms_target = p.targets[1];
        assert_eq!(
            (forms_target.before, forms_target.after, forms_target.broken),
            (false, true, false)
        );
        // Sizes: micro, small (the candidate's), medium.
        assert_eq!(p.tables[2].rows.len(), 3);
    }
}
