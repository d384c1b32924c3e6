//! The one error type that crosses the wire. Every message in it is already written for the
//! user, in the user's language; internal causes are logged on the server and never sent.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("{message}")]
    NotFound { message: String },
    #[error("{message}")]
    Unauthorized { message: String },
    #[error("{message}")]
    Forbidden { message: String },
    /// `field` names the form field at fault (empty when the whole form is).
    #[error("{message}")]
    Validation { field: String, message: String },
    #[error("{message}")]
    Conflict { message: String },
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    #[error("{message}")]
    BadRequest { message: String },
    #[error("{message}")]
    Internal { message: String },
}

impl AppError {
    pub fn message(&self) -> &str {
        match self {
            AppError::NotFound { message }
            | AppError::Unauthorized { message }
            | AppError::Forbidden { message }
            | AppError::Validation { message, .. }
            | AppError::Conflict { message }
            | AppError::TooManyRequests { message, .. }
            | AppError::BadRequest { message }
            | AppError::Internal { message } => message,
        }
    }

    /// The form field this error belongs to, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Validation { field, .. } if !field.is_empty() => Some(field),
            _ => None,
        }
    }

    /// The HTTP status an API caller sees for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound { .. } => 404,
            AppError::Unauthorized { .. } => 401,
            AppError::Forbidden { .. } => 403,
            AppError::Validation { .. } | AppError::BadRequest { .. } => 400,
            AppError::Conflict { .. } => 409,
            AppError::TooManyRequests { .. } => 429,
            AppError::Internal { .. } => 500,
        }
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Failures of the transport itself: malformed arguments, a lost connection, a body that
    /// does not decode. Malformed arguments are the caller's fault, the rest are ours.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let locale = crate::i18n_util::ambient_locale();
        match value {
            ServerFnErrorErr::Args(cause) | ServerFnErrorErr::MissingArg(cause) => {
                #[cfg(feature = "ssr")]
                tracing::info!(%cause, "malformed server function input");
                let _ = cause;
                AppError::BadRequest {
                    message: crate::messages::bad_request(locale),
                }
            }
            // On the server, `Deserialization` is a request body that does not decode (bytes
            // that are not UTF-8, a body that breaks off): the caller's fault, not ours. In the
            // browser it is a response we could not read, which falls through to `Internal`.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(cause) => {
                tracing::info!(%cause, "undecodable server function body");
                AppError::BadRequest {
                    message: crate::messages::bad_request(locale),
                }
            }
            ServerFnErrorErr::Request(cause) | ServerFnErrorErr::Response(cause) => {
                let _ = cause;
                AppError::Internal {
                    message: crate::messages::network(locale),
                }
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(cause = %other, "server function failure");
                let _ = other;
                AppError::Internal {
                    message: crate::messages::internal(locale),
                }
            }
        }
    }
}
