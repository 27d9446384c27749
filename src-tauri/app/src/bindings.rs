//! The TypeScript declarations of every type that crosses IPC, generated from the Rust types
//! with ts-rs into `ui/src/lib/bindings.ts`. The test `bindings_are_up_to_date` fails when the
//! committed file differs; `UPDATE_BINDINGS=1 cargo test -p kanaal-app bindings` rewrites it.

use ts_rs::TS;

/// Where the generated file lives, relative to the repository root.
pub const PATH: &str = "ui/src/lib/bindings.ts";

/// The full text of the bindings file.
pub fn generate() -> String {
    use kanaal_core::catalog::{bulk, edit};
    use kanaal_core::{catalog, channel_kind, demo, ids, overview, progress, settings};
    let decls = [
        kanaal_core::money::Money::decl(),
        catalog::ProductStatus::decl(),
        catalog::ProductQuery::decl(),
        catalog::StockFilter::decl(),
        catalog::ChannelFilter::decl(),
        catalog::SortKey::decl(),
        catalog::CategoryNode::decl(),
        catalog::Location::decl(),
        catalog::detail::OptionName::decl(),
        catalog::detail::Picture::decl(),
        catalog::detail::ProductDetail::decl(),
        catalog::detail::HistoryEntry::decl(),
        edit::ImageRef::decl(),
        kanaal_core::images::StoredPicture::decl(),
        catalog::ProductRow::decl(),
        catalog::ProductPage::decl(),
        overview::LocationStock::decl(),
        overview::CategoryMargin::decl(),
        overview::ChannelPending::decl(),
        overview::ShopOverview::decl(),
        channel_kind::ChannelGroup::decl(),
        channel_kind::ChannelAccess::decl(),
        overview::ChannelKindInfo::decl(),
        overview::ChannelRow::decl(),
        overview::ChannelOverview::decl(),
        overview::OrderRow::decl(),
        overview::OrderPage::decl(),
        settings::Language::decl(),
        crate::commands::AppInfo::decl(),
        crate::commands::NewChannel::decl(),
        progress::ProgressStep::decl(),
        kanaal_core::picture_queue::FetchFailure::decl(),
        kanaal_core::picture_queue::PictureFailure::decl(),
        kanaal_core::picture_queue::PictureStatus::decl(),
        kanaal_core::picture_queue::PictureRun::decl(),
        demo::DemoSummary::decl(),
        crate::ipc::IpcError::decl(),
        ids::ProductId::decl(),
        ids::VariantId::decl(),
        ids::LocationId::decl(),
        ids::ChannelId::decl(),
        ids::ListingId::decl(),
        ids::OrderId::decl(),
        edit::Field::decl(),
        edit::Target::decl(),
        edit::Change::decl(),
        edit::Batch::decl(),
        edit::UndoState::decl(),
        bulk::Ending::decl(),
        bulk::BulkOp::decl(),
        bulk::PreviewRow::decl(),
        catalog::query::StockAt::decl(),
        catalog::query::VariantRow::decl(),
        catalog::csv::Format::decl(),
        catalog::csv::Mode::decl(),
        catalog::csv::Severity::decl(),
        catalog::csv::ProblemKind::decl(),
        catalog::csv::RowProblem::decl(),
        catalog::csv::ImportReport::decl(),
        kanaal_core::orders::OrderQuery::decl(),
        kanaal_core::orders::Deadline::decl(),
        kanaal_core::orders::InboxRow::decl(),
        kanaal_core::orders::InboxPage::decl(),
        kanaal_core::orders::OrderLineView::decl(),
        kanaal_core::orders::CustomerView::decl(),
        kanaal_core::orders::ShipmentView::decl(),
        kanaal_core::orders::OrderDetail::decl(),
        kanaal_core::publish::batch::BatchChannel::decl(),
        kanaal_core::publish::batch::BatchRow::decl(),
        kanaal_core::publish::batch::BatchProgress::decl(),
        crate::publish_cmds::FieldDiff::decl(),
        crate::publish_cmds::ListingProblem::decl(),
        crate::publish_cmds::ListingPreview::decl(),
        crate::publish_cmds::ChannelPreview::decl(),
        crate::publish_cmds::PublishPreview::decl(),
        crate::publish_cmds::PublishStarted::decl(),
        crate::publish_cmds::SendSummary::decl(),
        crate::sync_cmds::ChannelSync::decl(),
        crate::sync_cmds::SyncSummary::decl(),
        crate::insights_cmds::InsightsFilter::decl(),
        crate::insights_cmds::InsightsChannel::decl(),
        crate::insights_cmds::ComparisonRow::decl(),
        crate::insights_cmds::Comparison::decl(),
        crate::insights_cmds::FeeTotals::decl(),
        crate::insights_cmds::FeeRow::decl(),
        crate::insights_cmds::FeeCheck::decl(),
        crate::insights_cmds::FeeReport::decl(),
        crate::insights_cmds::AspectScore::decl(),
        crate::insights_cmds::ReviewChannel::decl(),
        crate::insights_cmds::ReviewMonth::decl(),
        crate::insights_cmds::PlatformComplaint::decl(),
        crate::insights_cmds::ReviewToAnswer::decl(),
        crate::insights_cmds::ReviewReport::decl(),
        crate::insights_cmds::ChannelSet::decl(),
        crate::insights_cmds::ReachRow::decl(),
        crate::insights_cmds::MoveRow::decl(),
        crate::insights_cmds::OverlapView::decl(),
        crate::insights_cmds::MatchSummary::decl(),
        crate::insights_cmds::FeeOrderCheck::decl(),
        kanaal_insights::fees::schedule::VatTreatment::decl(),
        kanaal_insights::fees::edit::DraftBand::decl(),
        kanaal_insights::fees::edit::DraftCommission::decl(),
        kanaal_insights::fees::edit::ScheduleDraft::decl(),
        kanaal_insights::fees::edit::FieldError::decl(),
        crate::insights_cmds::FeeScheduleVersion::decl(),
        crate::insights_cmds::ChannelFeeSchedules::decl(),
        crate::insights_cmds::BreakEvenItem::decl(),
        crate::insights_cmds::BreakEvenView::decl(),
        crate::insights_cmds::WhatIf::decl(),
        crate::insights_cmds::WhatIfChannel::decl(),
        crate::insights_cmds::WhatIfResult::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by ts-rs: `UPDATE_BINDINGS=1 cargo test -p kanaal-app bindings`.\n\
         // Do not edit by hand; a test fails when this file and the Rust types differ.\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
