// The notice reminder of partner conventions (issue 15, docs/PARTNERS.md): a convention is
// renewed tacitly unless one side gives notice three months before its term's end (seed 001,
// art. 11). On the first day of the reminder window (core::kNoticeReminderDays before that
// notice deadline, i.e. three months and two weeks before the term's end), in the
// organisation's zone, each administrator of the organisation and the partner's responsible
// person get one e-mail (outbox kind partner_notice). Recorded per (convention, term end) in
// convention_reminders in the transaction that queues the messages: never sent twice, and a
// server that was down on that day sends it when it comes back within the window. The run,
// the recipients and the payload are shared with the overdue report (app/partner_mail.hpp).
#pragma once

#include "app/partner_mail.hpp"

namespace vg::app {

class ConventionReminders : public PartnerMailJob {
  public:
    using PartnerMailJob::PartnerMailJob;

    // Queues the reminders due at the clock's now; returns how many messages were queued.
    int queue_due();
};

}  // namespace vg::app
