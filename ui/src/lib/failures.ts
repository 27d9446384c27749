// The sentences for what went wrong with a channel: a call that failed (ChannelFailure: the
// login was refused, the platform refused a field, asked to slow down, was down, could not be
// reached, or does not offer something), and the failure stored on a row or a check
// (StoredFailure, which also covers a row replaced or stopped before it was sent, and text
// stored by older versions). kanaal-core returns these typed; this module words them in the
// merchant's language. A platform's own reason for a refusal stays in its words. It must not
// decide anything: what failed, and whether Kanaal retries, is Rust's.

import type {
  Account,
  ChannelFailure,
  ConnectProblem,
  Outage,
  QueuedChange,
  StoredFailure,
  Unsendable,
  UnsupportedOperation,
} from "./bindings";
import { hasKey, type MessageKey, t, tc } from "./i18n/index.svelte";

/** The sentence for a failed call to a channel. */
export function failureText(f: ChannelFailure): string {
  switch (f.kind) {
    case "bad_credentials":
      return t("failure.badCredentials", { channel: f.channel });
    case "rejected":
      return t("failure.rejected", { channel: f.channel, field: f.field, reason: f.reason });
    case "throttled":
      return tc("failure.throttled", f.retryAfterSecs, { channel: f.channel });
    case "platform_down":
      return t("failure.platformDown", { channel: f.channel, detail: outageText(f.detail) });
    case "network_down":
      return t("failure.networkDown", { channel: f.channel });
    case "unsupported":
      return t("failure.unsupported", { channel: f.channel, operation: operationText(f.operation) });
  }
}

/** What was wrong when a platform did not work, as a clause for failure.platformDown. */
export function outageText(o: Outage): string {
  switch (o.kind) {
    case "error_status":
      return t("failure.outage.errorStatus", { status: o.status });
    case "timeout":
      return t("failure.outage.timeout");
    case "connection_broke":
      return t("failure.outage.connectionBroke");
    case "connection_setup":
      return t("failure.outage.connectionSetup", { error: o.error });
    case "unreadable_answer":
      return o.status === null
        ? t("failure.outage.unreadableAnswer")
        : t("failure.outage.unreadableAnswerStatus", { status: o.status });
    case "incomplete_answer":
      return t("failure.outage.incompleteAnswer", { missing: o.missing });
    case "still_processing":
      return t("failure.outage.stillProcessing");
    case "processing_timed_out":
      return t("failure.outage.processingTimedOut");
    case "export_failed":
      return o.reason === null
        ? t("failure.outage.exportNoReport")
        : t("failure.outage.exportFailed", { reason: o.reason });
    case "platform_error":
      return t("failure.outage.platformError", { message: o.message });
  }
}

/** What a platform does not offer, as a phrase for failure.unsupported. */
export function operationText(op: UnsupportedOperation): string {
  switch (op) {
    case "payout_fees":
      return t("failure.operation.payoutFees");
    case "review_texts":
      return t("failure.operation.reviewTexts");
    case "categories":
      return t("failure.operation.categories");
    case "cancel_order_lines":
      return t("failure.operation.cancelOrderLines");
    case "expected_fees":
      return t("failure.operation.expectedFees");
    case "product_ratings":
      return t("failure.operation.productRatings");
  }
}

/** Why Kanaal could not connect to a channel at all (nothing was sent). */
export function connectProblemText(p: ConnectProblem): string {
  switch (p.kind) {
    case "no_login":
      return t("failure.connect.noLogin");
    case "keyring_unavailable":
      return t("failure.connect.keyringUnavailable", { error: p.error });
    case "login_damaged":
      return t("failure.connect.loginDamaged");
    case "no_shop_address":
      return t("failure.connect.noShopAddress");
    case "unsupported_kind":
      return t("failure.connect.unsupportedKind", { platform: p.platform });
  }
}

/** The sentence per kind of queued change Kanaal cannot read (each says how to queue it again). */
const UNREADABLE: Record<QueuedChange, MessageKey> = {
  listing: "failure.unsendable.listingUnreadable",
  shipment: "failure.unsendable.shipmentUnreadable",
  cancellation: "failure.unsendable.cancellationUnreadable",
};

/** Why Kanaal itself did not send a queued change (nothing reached the channel). */
export function unsendableText(u: Unsendable): string {
  switch (u.kind) {
    case "queued_unreadable":
      return t(UNREADABLE[u.what], { error: u.error });
    case "not_listed_yet":
      return t("failure.unsendable.notListedYet");
    case "variant_not_listed_yet":
      return t("failure.unsendable.variantNotListedYet", { sku: u.sku });
    case "unknown_operation":
      return t("failure.unsendable.unknownOperation", { operation: u.operation });
    case "same_listing_as":
      return t("failure.unsendable.sameListingAs", { listing: u.listing });
  }
}

/** The sentence for a failure stored on an outbox row or a failed check. */
export function storedFailureText(s: StoredFailure): string {
  switch (s.kind) {
    case "channel":
      return failureText(s.failure);
    case "unsendable":
      return unsendableText(s.problem);
    case "not_connected":
      return t("failure.notConnected", { channel: s.channel, problem: connectProblemText(s.problem) });
    case "superseded":
      return s.by === "adopted_value"
        ? t("failure.superseded.adoptedValue")
        : t("failure.superseded.takenOffOrPutBack");
    case "cancelled":
      return t("failure.cancelled");
    case "local":
      return t("failure.local", { detail: s.detail });
    case "other":
      // Stored by an older version (or not a channel's failure): shown as it was stored.
      return s.text;
  }
}

/**
 * A failed connection test on the Channels page: a channel's refusal with that page's advice
 * for a test, under the merchant's name for the channel (`name`); an outage with its cause and
 * a login that is not saved as storedFailureText words them.
 */
export function channelTestText(failure: StoredFailure, name: string): string {
  if (failure.kind === "channel" && failure.failure.kind !== "platform_down") {
    const key = `channels.fail.${failure.failure.kind}`;
    if (hasKey(key)) return t(key, { channel: name });
  }
  return storedFailureText(failure);
}

/** Who a passed connection test found Kanaal connected as, in the merchant's language. */
export function accountText(account: Account): string {
  switch (account.kind) {
    case "bol_client":
      return t("channels.account.bol_client", { clientId: account.client_id });
    case "shopify_shop":
      return t("channels.account.shopify_shop", { name: account.name, domain: account.domain });
  }
}
