use super::model::HubFigures;
use crate::entities::{organisation, space, user};
use crate::organisations::model::Tier;
use crate::spaces::model::SpaceKind;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::BTreeMap;

fn tally<K: Ord + Copy>(keys: impl Iterator<Item = K>) -> Vec<(K, u64)> {
    let mut counts: BTreeMap<K, u64> = BTreeMap::new();
    for k in keys {
        *counts.entry(k).or_default() += 1;
    }
    let mut out: Vec<(K, u64)> = counts.into_iter().collect();
    // Largest first; ties keep the enumeration's order (the sort is stable).
    out.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    out
}

/// Counts the hub's spaces and hosted organisations. A few hundred rows: one pass in memory.
pub async fn figures(db: &impl ConnectionTrait) -> Result<HubFigures, DbErr> {
    let spaces = space::Entity::find().all(db).await?;
    let top_level = || spaces.iter().filter(|s| s.parent_id.is_none());
    let of_kind = |kind: SpaceKind| spaces.iter().filter(move |s| s.kind == kind);
    let area = |kind: SpaceKind| {
        top_level()
            .filter(|s| s.kind == kind)
            .map(|s| i64::from(s.area_m2))
            .sum::<i64>()
    };

    let hosted = organisation::Entity::find()
        .filter(organisation::Column::Tier.eq(Tier::Resident))
        .all(db)
        .await?;
    let hosted_ids: Vec<i32> = hosted.iter().map(|o| o.id).collect();
    let members = if hosted_ids.is_empty() {
        0
    } else {
        user::Entity::find()
            .filter(user::Column::OrganisationId.is_in(hosted_ids))
            .count(db)
            .await?
    };

    Ok(HubFigures {
        spaces: spaces.len() as u64,
        built_area_m2: top_level().map(|s| i64::from(s.area_m2)).sum(),
        offices: of_kind(SpaceKind::Office).count() as u64,
        desks: of_kind(SpaceKind::Desk).count() as u64,
        hosting_area_m2: area(SpaceKind::Office) + area(SpaceKind::Desk),
        storage_units: of_kind(SpaceKind::Storage).count() as u64,
        storage_area_m2: area(SpaceKind::Storage),
        event_area_m2: area(SpaceKind::Hall)
            + area(SpaceKind::Canteen)
            + area(SpaceKind::MeetingRoom),
        meeting_rooms: of_kind(SpaceKind::MeetingRoom).count() as u64,
        hall_area_m2: area(SpaceKind::Hall),
        canteen_area_m2: area(SpaceKind::Canteen),
        shop_area_m2: area(SpaceKind::Shop),
        organisations_hosted: hosted.len() as u64,
        members,
        by_legal_form: tally(hosted.iter().map(|o| o.legal_form)),
        by_sector: tally(hosted.iter().map(|o| o.sector)),
    })
}

#[cfg(test)]
mod tests {
    use super::tally;

    #[test]
    fn tallies_put_the_largest_first() {
        assert_eq!(
            tally(["b", "a", "b", "c", "b", "a"].into_iter()),
            vec![("b", 3), ("a", 2), ("c", 1)]
        );
        assert!(tally(std::iter::empty::<u8>()).is_empty());
    }
}
