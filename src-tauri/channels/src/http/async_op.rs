//! Following an operation the platform finishes later (bol.com's process status: a write
//! answers 202 with an id that moves PENDING -> SUCCESS | FAILURE | TIMEOUT). The connector
//! supplies one poll; this loop waits between polls with growing delays and gives up after a
//! bound, reporting the operation as still running (transient) so the outbox checks again.

use super::Timer;
use crate::failure::{Failure, Outage};
use std::future::Future;
use std::time::Duration;

/// The state of a platform-side operation as one poll saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpState {
    Pending,
    /// Done; the id of what was made (a new offer's id), when the platform says.
    Succeeded {
        entity_id: Option<String>,
    },
    /// The platform refused it; its reason, in its words.
    Failed {
        reason: String,
    },
}

/// How patiently to poll.
#[derive(Debug, Clone)]
pub struct PollPolicy {
    pub first_delay: Duration,
    pub max_delay: Duration,
    pub give_up_after: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            first_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            give_up_after: Duration::from_secs(120),
        }
    }
}

/// Polls until the operation is no longer pending. Returns the final state (`Failed` is an
/// answer, not an error: the connector maps the reason); still pending after the bound is
/// [`Failure::PlatformDown`].
pub async fn track<F, Fut>(
    channel: &str,
    timer: &dyn Timer,
    policy: &PollPolicy,
    mut poll: F,
) -> Result<OpState, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<OpState, Failure>>,
{
    let start = timer.now();
    let mut delay = policy.first_delay;
    loop {
        let state = poll().await?;
        if state != OpState::Pending {
            return Ok(state);
        }
        if timer.now().saturating_sub(start) + delay > policy.give_up_after {
            return Err(Failure::PlatformDown {
                channel: channel.to_string(),
                detail: Outage::StillProcessing,
            });
        }
        timer.sleep(delay).await;
        delay = (delay * 2).min(policy.max_delay);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::http::ManualTimer;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn polling_stops_at_the_final_state_and_gives_up_as_transient() {
        let timer = ManualTimer::new();
        let polls = AtomicU32::new(0);
        let state = track("bol.com", &timer, &PollPolicy::default(), || {
            let n = polls.fetch_add(1, Ordering::SeqCst);
            async move {
                Ok(if n < 3 {
                    OpState::Pending
                } else {
                    OpState::Succeeded {
                        entity_id: Some("42".into()),
                    }
                })
            }
        })
        .await
        .unwrap();
        assert_eq!(
            state,
            OpState::Succeeded {
                entity_id: Some("42".into())
            }
        );
        assert_eq!(timer.sleeps().len(), 3, "one wait between polls");

        let never = track("bol.com", &timer, &PollPolicy::default(), || async {
            Ok(OpState::Pending)
        })
        .await;
        assert!(
            matches!(never, Err(ref f) if f.is_transient()),
            "an operation that never ends is reported as transient: {never:?}"
        );
    }
}
