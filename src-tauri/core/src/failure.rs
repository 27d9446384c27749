//! The few kinds of failure the merchant can act on, whatever platform produced them, and the
//! form in which one is stored and shown. Each connector (kanaal-channels, which re-exports
//! [`Failure`]) maps its platform's status codes and error bodies to one of these; the data
//! is typed (an HTTP status, a timeout) so that the window can say it in the merchant's
//! language (ui/src/lib/failures.ts), and only the platform's own words for a refusal
//! (`Rejected.reason`) or an error it described stay text.
//!
//! It lives in kanaal-core, not in the connectors, because core stores failures (an outbox
//! row's `last_error`, a failed drift check) and hands them to the window typed. `Display`
//! gives the English sentences the CLI and the logs use; the window never shows them.
//! Stored failures are JSON of the typed failure; text stored before that (and anything that
//! does not parse) reads back as [`StoredFailure::Other`] with the text kept.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A failure of a call to a channel. `channel` is the channel's name as the merchant sees it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ChannelFailure"))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    #[error(
        "{channel} did not accept the login details. Open Channels and connect {channel} again."
    )]
    BadCredentials { channel: String },

    /// The platform refused `field`; `reason` is the platform's own words.
    #[error("{channel} refused {field}: {reason}")]
    Rejected {
        channel: String,
        field: String,
        reason: String,
    },

    #[error("{channel} asks to slow down; Kanaal tries again in {} seconds.", retry_after.as_secs())]
    Throttled {
        channel: String,
        /// Whole seconds on the wire.
        #[serde(rename = "retryAfterSecs", with = "whole_secs")]
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        retry_after: Duration,
    },

    #[error("{channel} is not working right now ({detail}). Kanaal keeps your changes and tries again later.")]
    PlatformDown { channel: String, detail: Outage },

    #[error("No connection to {channel}. Kanaal keeps your changes and sends them when the connection is back.")]
    NetworkDown { channel: String },

    /// The platform has no such operation (bol.com gives no review texts). Permanent.
    #[error("{channel} does not offer {operation}.")]
    Unsupported {
        channel: String,
        operation: Operation,
    },
}

/// What was wrong when a platform did not work: the window words each kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outage {
    /// It answered with a server error (5xx).
    #[error("it answered with error {status}")]
    ErrorStatus { status: u16 },
    /// It did not answer within Kanaal's time limit.
    #[error("it did not answer in time")]
    Timeout,
    /// The connection broke off before an answer came.
    #[error("the connection broke off before it answered")]
    ConnectionBroke,
    /// Kanaal could not set up a connection at all (a local problem); `error` is technical.
    #[error("could not set up the connection: {error}")]
    ConnectionSetup { error: String },
    /// Its answer could not be read (with the HTTP status when known).
    #[error("{}", match status { Some(s) => format!("it sent an answer Kanaal cannot read (HTTP {s})"), None => "its answer could not be read".to_string() })]
    UnreadableAnswer { status: Option<u16> },
    /// Its answer lacked something Kanaal needs; `missing` is the platform's name for it.
    #[error("its answer lacked {missing}")]
    IncompleteAnswer { missing: String },
    /// A change was accepted but is still being processed after Kanaal stopped waiting.
    #[error("the change is still being processed")]
    StillProcessing,
    /// The platform gave up processing a change.
    #[error("it timed out processing the change")]
    ProcessingTimedOut,
    /// The platform's export of all listings failed, with its reason when it gave one.
    #[error("{}", match reason { Some(r) => format!("the offer export failed: {r}"), None => "the offer export gave no report".to_string() })]
    ExportFailed { reason: Option<String> },
    /// The platform reported an internal error in its own words.
    #[error("{message}")]
    PlatformError { message: String },
}

/// Something a platform does not offer (see [`Failure::Unsupported`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "UnsupportedOperation"))]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    #[error("fees per order of a payout")]
    PayoutFees,
    #[error("reading review texts")]
    ReviewTexts,
    #[error("reading categories")]
    Categories,
    /// Shopify cancels whole orders; a single line is refunded in Shopify instead.
    #[error(
        "cancelling single order lines (cancel the whole order, or refund the line on the channel)"
    )]
    CancelOrderLines,
    /// Shopify Payments fees come from the fee schedule and the payouts.
    #[error("expected fees (they come from the fee schedule and the payouts)")]
    ExpectedFees,
    /// The Shopify Admin API has no reviews; they live in review apps.
    #[error("product ratings (they live in review apps)")]
    ProductRatings,
}

impl Failure {
    /// The channel the failure came from, as shown to the merchant.
    pub fn channel(&self) -> &str {
        match self {
            Failure::BadCredentials { channel }
            | Failure::Rejected { channel, .. }
            | Failure::Throttled { channel, .. }
            | Failure::PlatformDown { channel, .. }
            | Failure::NetworkDown { channel }
            | Failure::Unsupported { channel, .. } => channel,
        }
    }

    /// A short stable name of the kind, for logs and the IPC edge (the `kind` tag of its JSON).
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::BadCredentials { .. } => "bad_credentials",
            Failure::Rejected { .. } => "rejected",
            Failure::Throttled { .. } => "throttled",
            Failure::PlatformDown { .. } => "platform_down",
            Failure::NetworkDown { .. } => "network_down",
            Failure::Unsupported { .. } => "unsupported",
        }
    }

    /// Whether sending the same request again later can succeed without the merchant acting.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Failure::Throttled { .. } | Failure::PlatformDown { .. } | Failure::NetworkDown { .. }
        )
    }

    /// The text to store for this failure (see [`StoredFailure::read`]): its typed JSON, plus
    /// the English sentence (`message`) and, for a refusal, the platform's reason per field
    /// (`fields`) for whoever reads the database by hand.
    pub fn to_stored(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or_else(|_| serde_json::json!({}));
        if let Some(o) = v.as_object_mut() {
            o.insert("message".into(), self.to_string().into());
            if let Failure::Rejected { field, reason, .. } = self {
                o.insert(
                    "fields".into(),
                    serde_json::json!({ field.clone(): reason }),
                );
            }
        }
        v.to_string()
    }
}

/// Why Kanaal could not set up a channel's connection, before any call was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectProblem {
    /// No login details are saved for the channel.
    #[error("No login details are saved for this channel. Connect the channel again.")]
    NoLogin,
    /// The system keyring could not be used; `error` is the keyring's own words.
    #[error("The system keyring could not be used ({error}). Unlock your keyring (on Linux: the Secret Service, e.g. GNOME Keyring or KWallet) and try again.")]
    KeyringUnavailable { error: String },
    /// The saved login details cannot be read.
    #[error("The saved login details are damaged. Connect the channel again.")]
    LoginDamaged,
    /// A Shopify channel needs the shop's own address.
    #[error("Enter the shop's address (https://<your-shop>.myshopify.com) as the base URL.")]
    NoShopAddress,
    /// Kanaal has no connector for this kind of channel (`platform` is the kind's code).
    #[error("Kanaal cannot connect to {platform} channels yet.")]
    UnsupportedKind { platform: String },
}

/// Why Kanaal itself could not send a queued change: nothing reached the channel, and sending
/// again without a change by the merchant fails the same way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unsendable {
    /// The queued change cannot be read (`error` is technical; usually written by another
    /// version).
    #[error("the queued {what} cannot be read ({error}); {}", what.redo())]
    QueuedUnreadable { what: Queued, error: String },
    /// Stock for a listing that is not on the channel yet.
    #[error("the listing is not on the channel yet; publish it first")]
    NotListedYet,
    /// Stock for a variant that is not on the channel yet.
    #[error("variant {sku} is not on the channel yet; publish the product again")]
    VariantNotListedYet { sku: String },
    /// A queued operation this version of Kanaal does not know.
    #[error("'{operation}' is not something Kanaal can send")]
    UnknownOperation { operation: String },
    /// The channel put this product on the same listing as another Kanaal listing.
    #[error("the channel put this on the same listing as Kanaal listing {listing} (the same EAN or handle?); give each product its own EAN and handle")]
    SameListingAs {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        listing: i64,
    },
}

/// What kind of queued change (see [`Unsendable::QueuedUnreadable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "QueuedChange"))]
#[serde(rename_all = "snake_case")]
pub enum Queued {
    #[error("listing")]
    Listing,
    #[error("shipment")]
    Shipment,
    #[error("cancellation")]
    Cancellation,
}

impl Queued {
    /// What the merchant does to queue it again.
    fn redo(self) -> &'static str {
        match self {
            Queued::Listing => "publish the product again",
            Queued::Shipment => "mark it shipped again",
            Queued::Cancellation => "cancel again",
        }
    }
}

/// Why an outbox row was replaced before it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SupersededBy {
    /// The merchant adopted the channel's value, so Kanaal's is not sent.
    AdoptedValue,
    /// The listing was taken off or put back on the channel.
    TakenOffOrPutBack,
}

/// A failure as stored on an outbox row or a failed check and shown in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoredFailure {
    /// A channel's failure, typed.
    Channel { failure: Failure },
    /// Kanaal itself could not send the queued change (nothing reached the channel).
    Unsendable { problem: Unsendable },
    /// Kanaal could not connect to the channel at all (nothing was sent). Not stored on rows;
    /// commands return it where a channel was skipped.
    NotConnected {
        channel: String,
        problem: ConnectProblem,
    },
    /// Replaced before it was sent.
    Superseded { by: SupersededBy },
    /// The merchant stopped it before it was sent.
    Cancelled,
    /// Kanaal could not read or write its own data file while doing it (a store error; nothing
    /// about the channel). `detail` is the technical cause, for a bug report.
    Local { detail: String },
    /// Text stored before failures were kept typed (or unreadable JSON): shown as stored.
    Other { text: String },
}

/// The English text older versions wrote on a cancelled row.
const OLD_CANCELLED: &str = "Stopped before it was sent.";

impl StoredFailure {
    /// The stored text of `self`; [`StoredFailure::read`] gives it back.
    pub fn to_stored(&self) -> String {
        match self {
            StoredFailure::Channel { failure } => failure.to_stored(),
            StoredFailure::Other { text } => text.clone(),
            other => {
                let mut v = serde_json::to_value(other).unwrap_or_else(|_| serde_json::json!({}));
                if let Some(o) = v.as_object_mut() {
                    o.insert("message".into(), other.to_string().into());
                }
                v.to_string()
            }
        }
    }

    /// Reads a stored failure back: typed JSON as written by [`Failure::to_stored`] or
    /// [`StoredFailure::to_stored`]; older rows (`{"kind", "message"}` JSON or plain text) as
    /// [`StoredFailure::Other`] with their text.
    pub fn read(text: &str) -> StoredFailure {
        if let Ok(failure) = serde_json::from_str::<Failure>(text) {
            return StoredFailure::Channel { failure };
        }
        if text == OLD_CANCELLED {
            return StoredFailure::Cancelled;
        }
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) if v.is_object() => {
                if let Ok(
                    s @ (StoredFailure::Superseded { .. }
                    | StoredFailure::Cancelled
                    | StoredFailure::NotConnected { .. }
                    | StoredFailure::Unsendable { .. }
                    | StoredFailure::Local { .. }),
                ) = serde_json::from_value::<StoredFailure>(v.clone())
                {
                    return s;
                }
                let message = v.get("message").and_then(serde_json::Value::as_str);
                StoredFailure::Other {
                    text: message.map_or_else(|| text.to_string(), str::to_string),
                }
            }
            _ => StoredFailure::Other {
                text: text.to_string(),
            },
        }
    }
}

impl std::fmt::Display for StoredFailure {
    /// English, for the CLI and logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoredFailure::Channel { failure } => failure.fmt(f),
            StoredFailure::Superseded {
                by: SupersededBy::AdoptedValue,
            } => f.write_str("replaced by a value adopted from the channel"),
            StoredFailure::Superseded {
                by: SupersededBy::TakenOffOrPutBack,
            } => f.write_str("the listing was taken off or put back on the channel"),
            StoredFailure::NotConnected { channel, problem } => write!(f, "{channel}: {problem}"),
            StoredFailure::Unsendable { problem } => write!(f, "Kanaal did not send it: {problem}"),
            StoredFailure::Cancelled => f.write_str(OLD_CANCELLED),
            StoredFailure::Local { detail } => {
                write!(f, "Kanaal could not read or write its own data ({detail})")
            }
            StoredFailure::Other { text } => f.write_str(text),
        }
    }
}

impl From<Failure> for StoredFailure {
    fn from(failure: Failure) -> Self {
        StoredFailure::Channel { failure }
    }
}

/// A [`Duration`] as whole seconds.
mod whole_secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_secs())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_secs)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ch() -> String {
        "bol.com".to_string()
    }

    fn every_kind() -> Vec<Failure> {
        let mut all = vec![
            Failure::BadCredentials { channel: ch() },
            Failure::Rejected {
                channel: ch(),
                field: "ean".into(),
                reason: "unknown EAN".into(),
            },
            Failure::Throttled {
                channel: ch(),
                retry_after: Duration::from_secs(7),
            },
            Failure::NetworkDown { channel: ch() },
            Failure::Unsupported {
                channel: ch(),
                operation: Operation::ReviewTexts,
            },
        ];
        for detail in [
            Outage::ErrorStatus { status: 503 },
            Outage::Timeout,
            Outage::ConnectionBroke,
            Outage::ConnectionSetup {
                error: "no TLS".into(),
            },
            Outage::UnreadableAnswer { status: Some(200) },
            Outage::UnreadableAnswer { status: None },
            Outage::IncompleteAnswer {
                missing: "orderId".into(),
            },
            Outage::StillProcessing,
            Outage::ProcessingTimedOut,
            Outage::ExportFailed {
                reason: Some("FAILURE".into()),
            },
            Outage::ExportFailed { reason: None },
            Outage::PlatformError {
                message: "Internal error".into(),
            },
        ] {
            all.push(Failure::PlatformDown {
                channel: ch(),
                detail,
            });
        }
        all
    }

    #[test]
    fn only_failures_the_merchant_must_fix_are_permanent() {
        assert!(
            !Failure::BadCredentials { channel: ch() }.is_transient(),
            "login needs the merchant"
        );
        let rejected = Failure::Rejected {
            channel: ch(),
            field: "ean".into(),
            reason: "unknown EAN".into(),
        };
        assert!(!rejected.is_transient(), "a rejected listing needs an edit");
        assert!(
            Failure::NetworkDown { channel: ch() }.is_transient(),
            "offline is retried"
        );
        let msg = rejected.to_string();
        assert!(
            msg.contains("ean") && msg.contains("unknown EAN"),
            "platform's reason kept: {msg}"
        );
    }

    #[test]
    fn every_failure_reads_back_typed_from_storage() {
        for f in every_kind() {
            let stored = f.to_stored();
            assert_eq!(
                StoredFailure::read(&stored),
                StoredFailure::Channel { failure: f.clone() },
                "a stored failure comes back as the same typed failure: {stored}"
            );
            let v: serde_json::Value = serde_json::from_str(&stored).unwrap();
            assert_eq!(v["kind"], f.kind(), "the kind tag is the stable kind name");
            assert_eq!(
                v["message"],
                f.to_string(),
                "the English sentence is kept beside it for a reader of the database"
            );
        }
    }

    #[test]
    fn a_refusal_keeps_the_platform_reason_per_field() {
        let f = Failure::Rejected {
            channel: ch(),
            field: "title".into(),
            reason: "Title too long (max 255)".into(),
        };
        let v: serde_json::Value = serde_json::from_str(&f.to_stored()).unwrap();
        assert_eq!(
            v["fields"]["title"], "Title too long (max 255)",
            "the platform's reason per field stays readable in the row"
        );
    }

    #[test]
    fn the_503_outage_is_typed_not_an_english_sentence() {
        let f = Failure::PlatformDown {
            channel: ch(),
            detail: Outage::ErrorStatus { status: 503 },
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"kind": "platform_down", "channel": "bol.com",
                               "detail": {"kind": "error_status", "status": 503}}),
            "the window gets the status as a number to word itself"
        );
        assert_eq!(
            f.to_string(),
            "bol.com is not working right now (it answered with error 503). Kanaal keeps your changes and tries again later.",
            "the CLI keeps its English sentence"
        );
    }

    #[test]
    fn throttling_travels_as_whole_seconds() {
        let f = Failure::Throttled {
            channel: ch(),
            retry_after: Duration::from_secs(30),
        };
        assert_eq!(serde_json::to_value(&f).unwrap()["retryAfterSecs"], 30);
    }

    #[test]
    fn older_rows_read_back_as_their_text() {
        assert_eq!(
            StoredFailure::read("Title too long (max 255)"),
            StoredFailure::Other {
                text: "Title too long (max 255)".into()
            },
            "plain text is shown as stored"
        );
        assert_eq!(
            StoredFailure::read(
                r#"{"kind":"platform_down","message":"bol.com is not working right now (it answered with error 503)."}"#
            ),
            StoredFailure::Other {
                text: "bol.com is not working right now (it answered with error 503).".into()
            },
            "the message of an older JSON row is shown"
        );
        assert_eq!(
            StoredFailure::read(
                r#"{"kind":"superseded","message":"replaced by a value adopted from the channel"}"#
            ),
            StoredFailure::Other {
                text: "replaced by a value adopted from the channel".into()
            },
            "an older superseded row keeps its words"
        );
        assert_eq!(
            StoredFailure::read("Stopped before it was sent."),
            StoredFailure::Cancelled,
            "the old cancel text is known: it is worded in the window's language"
        );
        assert_eq!(
            StoredFailure::read("{\"kind\":"),
            StoredFailure::Other {
                text: "{\"kind\":".into()
            },
            "broken JSON is shown as stored, never lost"
        );
    }

    #[test]
    fn kanaal_own_notes_round_trip() {
        for s in [
            StoredFailure::Cancelled,
            StoredFailure::Superseded {
                by: SupersededBy::AdoptedValue,
            },
            StoredFailure::Superseded {
                by: SupersededBy::TakenOffOrPutBack,
            },
            StoredFailure::Other {
                text: "anything".into(),
            },
            StoredFailure::Local {
                detail: "database is locked".into(),
            },
            StoredFailure::NotConnected {
                channel: "Webshop".into(),
                problem: ConnectProblem::KeyringUnavailable {
                    error: "locked".into(),
                },
            },
            StoredFailure::Unsendable {
                problem: Unsendable::SameListingAs { listing: 12 },
            },
            StoredFailure::Unsendable {
                problem: Unsendable::QueuedUnreadable {
                    what: Queued::Shipment,
                    error: "missing field `carrier`".into(),
                },
            },
        ] {
            assert_eq!(
                StoredFailure::read(&s.to_stored()),
                s,
                "read gives back what to_stored wrote"
            );
        }
    }
}
