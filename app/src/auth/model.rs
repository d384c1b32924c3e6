//! Account types shared with the browser, and the newtypes that parse form input.
//! Past `parse`, an invalid e-mail, name or password cannot exist.
use serde::{Deserialize, Serialize};

/// What a user may do in the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The operator's staff: everything, including pricing, leases and invoicing.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "manager"))]
    Manager,
    /// A member of a hosted organisation.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "tenant"))]
    Tenant,
    /// Someone who rents the event space, often from outside the hub.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "organiser"))]
    Organiser,
    /// An organisation applying for an office, a desk or storage, until its lease.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "candidate"))]
    Candidate,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Manager,
        Role::Tenant,
        Role::Organiser,
        Role::Candidate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Tenant => "tenant",
            Role::Organiser => "organiser",
            Role::Candidate => "candidate",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

/// Why a form value was refused. The API layer turns it into a message in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputError {
    EmailMalformed,
    NameMissing,
    NameTooLong,
    PasswordTooShort,
    PasswordTooLong,
    PasswordCommon,
    PasswordsDiffer,
    RoleUnknown,
    OrganisationUnknown,
    /// A control character or an oversized value (see [`crate::input`]).
    Text(&'static str, crate::input::TextError),
}

impl InputError {
    /// The form field the error belongs to.
    pub fn field(self) -> &'static str {
        match self {
            InputError::EmailMalformed => "email",
            InputError::NameMissing | InputError::NameTooLong => "name",
            InputError::PasswordTooShort
            | InputError::PasswordTooLong
            | InputError::PasswordCommon => "password",
            InputError::PasswordsDiffer => "password_confirm",
            InputError::RoleUnknown => "role",
            InputError::OrganisationUnknown => "organisation_id",
            InputError::Text(field, _) => field,
        }
    }
}

/// A normalised e-mail address: trimmed, lower-cased, syntactically valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Email, InputError> {
        // Bounded before lower-casing, so a 100 KB value costs nothing.
        let email = crate::input::text(raw, Self::MAX_LEN, false)
            .map_err(|_| InputError::EmailMalformed)?
            .to_lowercase();
        // The domain must have a dot: addresses at bare hosts are typing mistakes here.
        let has_dotted_domain = email
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
        if email.len() > Self::MAX_LEN
            || !has_dotted_domain
            || !email_address::EmailAddress::is_valid(&email)
        {
            return Err(InputError::EmailMalformed);
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a sign-in form sends, bounded before anything is looked up or counted: an e-mail
/// longer than any address, or a password longer than any the hub accepts, is a malformed
/// request (400), not a failed attempt.
#[derive(Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, ***)", self.email)
    }
}

impl Credentials {
    pub fn parse(email: &str, password: &str) -> Result<Credentials, InputError> {
        let email = crate::input::text(email, Email::MAX_LEN, false)
            .map_err(|_| InputError::EmailMalformed)?;
        let password = crate::input::secret(password, crate::input::limits::PASSWORD)
            .map_err(|e| InputError::Text("password", e))?;
        Ok(Credentials {
            email,
            password: password.to_owned(),
        })
    }
}

/// A person's display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<PersonName, InputError> {
        let name = crate::input::line(raw, 4 * Self::MAX_CHARS).map_err(|e| match e {
            crate::input::TextError::ControlCharacter => InputError::Text("name", e),
            _ => InputError::NameTooLong,
        })?;
        if name.is_empty() {
            return Err(InputError::NameMissing);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(InputError::NameTooLong);
        }
        Ok(PersonName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the hub's policy: at least 12 characters, not a common password.
/// It is never logged, serialised or compared in plain text outside hashing.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN_CHARS: usize = 12;
    /// Hashing cost grows with length; this bound keeps one request from costing seconds.
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Password, InputError> {
        crate::input::secret(raw, crate::input::limits::PASSWORD)
            .map_err(|e| InputError::Text("password", e))?;
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(InputError::PasswordTooShort);
        }
        if chars > Self::MAX_CHARS {
            return Err(InputError::PasswordTooLong);
        }
        if is_common_password(raw) {
            return Err(InputError::PasswordCommon);
        }
        Ok(Password(raw.to_owned()))
    }

    /// A new password and its confirmation.
    pub fn parse_new(raw: &str, confirmation: &str) -> Result<Password, InputError> {
        let password = Password::parse(raw)?;
        if raw != confirmation {
            return Err(InputError::PasswordsDiffer);
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// True if the password, or its lower-case form, is in the list of about 100,000 common
/// passwords shipped by the `passwords` crate. Only the server carries that list.
#[cfg(feature = "ssr")]
fn is_common_password(raw: &str) -> bool {
    passwords::analyzer::is_common_password(raw)
        || passwords::analyzer::is_common_password(raw.to_lowercase())
}

#[cfg(not(feature = "ssr"))]
fn is_common_password(_raw: &str) -> bool {
    false
}

/// An organisation as a user's profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRef {
    pub id: i32,
    pub name: String,
}

/// The signed-in user, as pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: Option<OrganisationRef>,
    pub is_referent: bool,
    /// The language the user last chose, for calendar feeds and other texts outside a page.
    #[serde(with = "crate::i18n_util::locale_serde")]
    pub locale: crate::i18n::Locale,
}

impl UserView {
    pub fn is_manager(&self) -> bool {
        self.role == Role::Manager
    }
}

/// One row of the managers' users page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub user: UserView,
    pub created_on: chrono::NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        let email = Email::parse("  Camille.Martin@Exemple.FR ");
        assert_eq!(
            email.map(|e| e.as_str().to_owned()),
            Ok("camille.martin@exemple.fr".to_owned())
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for raw in [
            "",
            "camille",
            "camille@",
            "@exemple.fr",
            "camille@exemple",
            "a b@exemple.fr",
            "camille@exemple.",
        ] {
            assert_eq!(
                Email::parse(raw),
                Err(InputError::EmailMalformed),
                "{raw:?}"
            );
        }
        let long = format!("{}@exemple.fr", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(InputError::EmailMalformed));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            PersonName::parse("  Léa   Dubois ").map(|n| n.as_str().to_owned()),
            Ok("Léa Dubois".to_owned())
        );
        assert_eq!(PersonName::parse("   "), Err(InputError::NameMissing));
        assert_eq!(
            PersonName::parse(&"é".repeat(101)),
            Err(InputError::NameTooLong)
        );
        assert!(PersonName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert_eq!(
            Password::parse("court-11car").map(|_| ()),
            Err(InputError::PasswordTooShort)
        );
        // Twelve characters, counted as characters and not bytes.
        assert!(Password::parse("éléphant-vert").is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(257)).map(|_| ()),
            Err(InputError::PasswordTooLong)
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn common_passwords_are_refused() {
        for common in ["123456789012", "111222333444", "PASSWORD1234"] {
            assert_eq!(
                Password::parse(common).map(|_| ()),
                Err(InputError::PasswordCommon),
                "{common}"
            );
        }
        assert!(Password::parse("tulipe-bleue-du-quai").is_ok());
    }

    #[test]
    fn confirmation_must_match() {
        assert_eq!(
            Password::parse_new("tulipe-bleue-du-quai", "tulipe-bleue-du-qua").map(|_| ()),
            Err(InputError::PasswordsDiffer)
        );
    }

    #[test]
    fn password_debug_hides_the_secret() {
        let p = Password::parse("tulipe-bleue-du-quai");
        assert!(p.is_ok_and(|p| !format!("{p:?}").contains("tulipe")));
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("admin"), None);
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;
    use crate::input::TextError;

    #[test]
    fn credentials_are_bounded_before_any_look_up() {
        let ok = Credentials::parse(" Ana@Example.org ", " secret ").unwrap();
        assert_eq!(ok.email, "Ana@Example.org");
        assert_eq!(ok.password, " secret ");
        let long_email = format!("{}@example.org", "a".repeat(300));
        assert_eq!(
            Credentials::parse(&long_email, "x").err(),
            Some(InputError::EmailMalformed)
        );
        assert_eq!(
            Credentials::parse(&"a".repeat(100_000), "x").err(),
            Some(InputError::EmailMalformed)
        );
        assert_eq!(
            Credentials::parse("a\0@example.org", "x").err(),
            Some(InputError::EmailMalformed)
        );
        assert_eq!(
            Credentials::parse("a@example.org", &"x".repeat(1025)).err(),
            Some(InputError::Text(
                "password",
                TextError::TooLong { max_chars: 1024 }
            ))
        );
        assert_eq!(
            Credentials::parse("a@example.org", "x\0").err(),
            Some(InputError::Text("password", TextError::ControlCharacter))
        );
    }

    #[test]
    fn names_and_e_mails_refuse_control_characters() {
        assert_eq!(
            PersonName::parse("Ana\0").err(),
            Some(InputError::Text("name", TextError::ControlCharacter))
        );
        assert_eq!(
            PersonName::parse(&"a".repeat(100_000)).err(),
            Some(InputError::NameTooLong)
        );
        assert_eq!(
            Email::parse("ana\0@example.org").err(),
            Some(InputError::EmailMalformed)
        );
        assert_eq!(
            Email::parse(&format!("{}@example.org", "a".repeat(300))).err(),
            Some(InputError::EmailMalformed)
        );
    }
}
