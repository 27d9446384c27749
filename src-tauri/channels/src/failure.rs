//! The few kinds of failure the merchant can act on, whatever platform produced them. Each
//! connector maps its platform's status codes and error bodies to one of these; the message
//! keeps the platform's own words where they help (a rejected field and its reason).

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error(
        "{channel} did not accept the login details. Open Channels and connect {channel} again."
    )]
    BadCredentials { channel: String },

    #[error("{channel} refused {field}: {reason}")]
    Rejected {
        channel: String,
        field: String,
        reason: String,
    },

    #[error("{channel} asks to slow down; Kanaal tries again in {} seconds.", retry_after.as_secs())]
    Throttled {
        channel: String,
        retry_after: Duration,
    },

    #[error("{channel} is not working right now ({detail}). Kanaal keeps your changes and tries again later.")]
    PlatformDown { channel: String, detail: String },

    #[error("No connection to {channel}. Kanaal keeps your changes and sends them when the connection is back.")]
    NetworkDown { channel: String },

    /// The platform has no such operation (bol.com gives no review texts). Permanent.
    #[error("{channel} does not offer {operation}.")]
    Unsupported { channel: String, operation: String },
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

    /// A short stable name of the kind, for logs and the IPC edge.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failures_the_merchant_must_fix_are_permanent() {
        let ch = || "bol.com".to_string();
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
}
