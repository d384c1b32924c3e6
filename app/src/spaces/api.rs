//! Server functions of the catalogue. The catalogue is public: the hub shows its spaces and
//! prices to anyone, organisers included, before they have an account.
use super::model::{SpaceCard, SpaceDetail};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn filter_error(e: super::model::FilterError, locale: crate::i18n::Locale) -> AppError {
    use super::model::FilterError;
    use crate::i18n::td_string;
    let message = match e {
        FilterError::KindUnknown => td_string!(locale, spaces.errors.kind_unknown),
        FilterError::NotAWholeNumber(_) => td_string!(locale, spaces.errors.not_a_whole_number),
        FilterError::AreaRangeInverted => td_string!(locale, spaces.errors.area_range_inverted),
    };
    AppError::validation(e.field(), message.to_string())
}

#[server(prefix = "/api", endpoint = "spaces/catalogue")]
pub async fn list_spaces(
    #[server(default)] kind: String,
    #[server(default)] min_capacity: String,
    #[server(default)] min_area: String,
    #[server(default)] max_area: String,
) -> Result<Vec<SpaceCard>, AppError> {
    let ctx = crate::ctx::ctx()?;
    let query = super::model::CatalogueQuery {
        kind,
        min_capacity,
        min_area,
        max_area,
    };
    let filter = query.parse().map_err(|e| filter_error(e, ctx.locale))?;
    ctx.catalogue
        .cards(&ctx.db, &filter)
        .await
        .map_err(|e| ctx.internal(e))
}

#[server(prefix = "/api", endpoint = "spaces/detail")]
pub async fn get_space(id: String) -> Result<SpaceDetail, AppError> {
    use crate::i18n::td_string;
    let ctx = crate::ctx::ctx()?;
    let not_found = || AppError::NotFound {
        message: td_string!(ctx.locale, spaces.errors.not_found).to_string(),
    };
    let id = super::model::parse_space_id(&id).ok_or_else(not_found)?;
    super::service::detail(&ctx.db, id)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(not_found)
}
