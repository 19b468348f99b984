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

#include "app/partner_mail.hpp"

namespace vg::app {

class ReportOverdue : public PartnerMailJob {
  public:
    using PartnerMailJob::PartnerMailJob;

    // Queues the e-mails of reports overdue at the clock's now; returns how many messages
    // were queued.
    int queue_due();
};

}  // namespace vg::app
