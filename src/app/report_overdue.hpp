// The overdue report's e-mail (issue 15, docs/PARTNERS.md "Overdue reports"): a partner
// reports its visits per period (month or quarter, core::ReportPeriod); once the period's
// deadline has passed without a report (ReportPeriod::overdue_on, the organisation's calendar
// day, as the partner's home and the CAF's overview flag it), the partner's staff and the
// CAF's partner managers each get one e-mail (outbox kind partner_overdue) naming the period,
// its deadline and the page to act on. Only the newest period due is considered: a backlog
// (after a long stop, or at the first run) sends that period's e-mails, not one per old one.
// Recorded per (partner, period) in partner_report_reminders (migration 29) in the
// transaction that queues the messages: never sent twice. Nothing for a convention that has
// ended (by notice or a withdrawn label) or a partner whose label does not hold.
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "app/partner_mail.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

namespace vg::text {
class I18n;
}

namespace vg::app {

class ReportOverdue {
  public:
    ReportOverdue(store::Store& db, const text::I18n& i18n, const core::Clock& clock,
                  std::string public_url)
        : db_(db), i18n_(i18n), clock_(clock), public_url_(std::move(public_url)) {}

    // Queues the e-mails of reports overdue at the clock's now; returns how many messages
    // were queued.
    int queue_due();
    // Called after messages were queued (the server wakes its sender).
    void on_messages_queued(std::function<void()> f) { queued_ = std::move(f); }

  private:
    store::Store& db_;
    const text::I18n& i18n_;
    const core::Clock& clock_;
    std::string public_url_;
    std::function<void()> queued_;
};

}  // namespace vg::app
