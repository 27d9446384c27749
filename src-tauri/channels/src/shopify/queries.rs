//! The GraphQL documents the connector sends, with the cost each is planned at (scalars 0,
//! objects 1, connections 2 + page size × node cost, mutations 10). Page sizes are chosen so
//! no query passes Shopify's 1000-point ceiling for a single query.

pub const SHOP: &str = "query Shop { shop { name myshopifyDomain currencyCode } locations(first: 1) { nodes { id name } } }";
pub const SHOP_COST: u64 = 6;

pub const LOCATION: &str = "query Location { locations(first: 1) { nodes { id } } }";
pub const LOCATION_COST: u64 = 3;

/// Create or update by identifier (`handle` for a first publish, so a create whose answer was
/// lost finds the product it made instead of making a second; `id` afterwards).
pub const PRODUCT_SET: &str =
    "mutation SyncProduct($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {
    product { id handle variants(first: 250) { nodes { id sku inventoryItem { id } } } }
    userErrors { field message code }
  }
}";
pub const MUTATION_COST: u64 = 10;

pub const UNPUBLISH: &str = "mutation Unpublish($product: ProductUpdateInput!) {
  productUpdate(product: $product) { product { id status } userErrors { field message } }
}";

pub const SET_QUANTITIES: &str =
    "mutation SetQuantities($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}";

/// 2 + 10 × (order 1 + totalPriceSet 2 + customer 1 + shippingAddress 1 + lineItems (2 + 25 × 3)).
pub const ORDERS: &str = "query Orders($after: String, $q: String) {
  orders(first: 10, after: $after, query: $q, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt updatedAt cancelledAt email phone displayFulfillmentStatus displayFinancialStatus
      totalPriceSet { shopMoney { amount currencyCode } }
      customer { id firstName lastName email phone }
      shippingAddress { name address1 address2 city zip countryCodeV2 phone }
      lineItems(first: 25) { nodes {
        id sku title variantTitle quantity currentQuantity unfulfilledQuantity
        originalUnitPriceSet { shopMoney { amount currencyCode } } } }
    }
  }
}";
pub const ORDERS_COST: u64 = 822;

/// The refunds of one order, with the units each took off a line and how their stock was
/// handled (`restockType`). Asked only for orders the order page cannot tell (see
/// `convert::needs_refunds`): adding this to [`ORDERS`] would take it past 1000.
/// `Order.refunds` is a plain list, not paged: refunds past the first 25 are not read, so
/// their CANCEL units stay off the shelf (too little stock, never stock that is not there).
/// `$lines` is [`ORDER_REFUND_LINES`]: 1 + 25 × (refund 1 + refundLineItems (2 + 10 × (1 +
/// lineItem 1))).
pub const ORDER_REFUNDS: &str = "query OrderRefunds($id: ID!, $lines: Int!) {
  order(id: $id) {
    id
    refunds(first: 25) { id refundLineItems(first: $lines) {
      pageInfo { hasNextPage endCursor }
      nodes { quantity restockType lineItem { id } } } }
  }
}";
pub const ORDER_REFUNDS_COST: u64 = 576;
/// Line items read per refund with [`ORDER_REFUNDS`] (a refund rarely has more).
pub const ORDER_REFUND_LINES: u64 = 10;

/// The rest of one refund's line items, when [`ORDER_REFUNDS`] had more than its page.
/// `$lines` is [`REFUND_LINES_PAGE`]: 1 + 2 + 100 × (1 + lineItem 1).
pub const REFUND_LINES: &str = "query RefundLines($id: ID!, $after: String, $lines: Int!) {
  refund(id: $id) {
    id
    refundLineItems(first: $lines, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { quantity restockType lineItem { id } } }
  }
}";
pub const REFUND_LINES_COST: u64 = 203;
pub const REFUND_LINES_PAGE: u64 = 100;

/// 1 + fulfillments (1 + trackingInfo 1) + 2 + 5 × (1 + 2 + 50 × (1 + 1)).
pub const ORDER_FULFILLMENT: &str = "query OrderFulfillment($id: ID!) {
  order(id: $id) {
    id cancelledAt
    fulfillments { id trackingInfo { company number } }
    fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 50) { nodes { id remainingQuantity lineItem { id } } } } }
  }
}";
pub const ORDER_FULFILLMENT_COST: u64 = 520;

pub const FULFILLMENT_CREATE: &str = "mutation Ship($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo { company number url } }
    userErrors { field message }
  }
}";

pub const ORDER_CANCEL: &str = "mutation Cancel($orderId: ID!, $reason: OrderCancelReason!) {
  orderCancel(orderId: $orderId, reason: $reason, refund: true, restock: true, notifyCustomer: true) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}";

/// 2 + 10 × (1 + 2 + 50).
pub const PRODUCTS: &str = "query Products($after: String) {
  products(first: 10, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id handle title descriptionHtml vendor status updatedAt
      variants(first: 50) { nodes { id sku barcode price compareAtPrice inventoryQuantity } } }
  }
}";
pub const PRODUCTS_COST: u64 = 532;

/// 1 + 2 + 100 × (1 + amount 1 + fee 1 + net 1 + associatedPayout 1).
pub const BALANCE: &str = "query Balance($after: String, $q: String) {
  shopifyPaymentsAccount {
    balanceTransactions(first: 100, after: $after, query: $q) {
      pageInfo { hasNextPage endCursor }
      nodes { id type transactionDate amount { amount currencyCode } fee { amount currencyCode }
        net { amount currencyCode } associatedPayout { id status } }
    }
  }
}";
pub const BALANCE_COST: u64 = 503;

/// The fee of each balance transaction of one payout, with the order it was charged on.
/// 1 + 2 + 100 × (1 + fee 1 + associatedOrder 1).
pub const PAYOUT_FEES: &str = "query PayoutFees($after: String, $q: String) {
  shopifyPaymentsAccount {
    balanceTransactions(first: 100, after: $after, query: $q) {
      pageInfo { hasNextPage endCursor }
      nodes { id type fee { amount currencyCode } associatedOrder { id } }
    }
  }
}";
pub const PAYOUT_FEES_COST: u64 = 303;
