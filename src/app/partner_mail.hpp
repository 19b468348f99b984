// The daily e-mails about a partner's live convention (issue 15, docs/PARTNERS.md): the
// convention notice reminder (app::ConventionReminders) and the overdue report
// (app::ReportOverdue) share their recipients, their messages' payload (the account e-mails'
// layout, Composer::partner_notice_email) and their run. For each convention not ended, in
// the organisation's zone, the job says what is due today; what is due is queued in one
// transaction with its guard row, so that a restart or a second server never queues it twice.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace vg::text {
class I18n;
}

namespace vg::app {

// An account to write to, with the language to write in.
using Recipient = std::pair<store::Account, std::string>;

// The organisation's first language among those with texts (fr, en, nl, de), else French.
std::string first_language(const store::Organisation& org);

// The CAF's partner managers: the organisation's administrators (enabled, with an e-mail),
// each with the language to write to them in (their console language, else the
// organisation's first). The notice reminders, the overdue reports and the opening-hours
// alert go to them.
std::vector<Recipient> partner_managers(store::Session& s, const store::Organisation& org);

// The partner's staff: the enabled accounts with an e-mail holding the partner role of that
// partner, each in their console language (else the organisation's first).
std::vector<Recipient> partner_staff_recipients(store::Session& s, const store::Organisation& org,
                                                store::Id partner_id);

// One e-mail, its texts already in `lang`.
struct PartnerMail {
    std::string to;
    std::string to_name;
    std::string lang;
    std::string subject;
    std::string intro;
    std::string after;
    std::string link;
    std::string who;  // the idempotency key's tail: "account:<id>", "partner"
};

// What one convention owes today: its e-mails and the guard that queues them once.
struct PartnerMails {
    std::string kind;  // the outbox kind
    std::string key;   // the idempotency keys' stem, followed by each mail's `who`
    nlohmann::json ids = nlohmann::json::object();  // in each payload (convention_id, ...)
    std::vector<PartnerMail> mails;
    // Called in the queueing transaction: records the guard row; false when it was recorded
    // already (or what was due is no longer), then nothing is queued.
    std::function<bool(store::Session&)> claim;
};

// A live convention as a job sees it on a run.
struct LiveConvention {
    const store::Convention& convention;
    const store::Organisation& org;
    const store::Partner& partner;
    core::LocalDay today = 0;  // the organisation's calendar day
};

// For each live convention of every organisation signed on or before the organisation's
// today, asks `due` (inside a read transaction) what it owes, and queues it with its guard.
// Returns how many messages were queued.
int queue_partner_mails(
    store::Store& db, core::Instant now,
    const std::function<std::optional<PartnerMails>(store::Session&, const LiveConvention&)>& due);

// What both daily jobs hold: the store, the texts, the clock, the links' base, and whom to
// tell when messages were queued.
class PartnerMailJob {
  public:
    PartnerMailJob(store::Store& db, const text::I18n& i18n, const core::Clock& clock,
                   std::string public_url)
        : db_(db), i18n_(i18n), clock_(clock), public_url_(std::move(public_url)) {}

    // Called after messages were queued (the server wakes its sender).
    void on_messages_queued(std::function<void()> f) { queued_ = std::move(f); }

  protected:
    // Logs `queued` messages of `what` and calls the hook; returns `queued`.
    int report_queued(int queued, const char* what) const;

    store::Store& db_;
    const text::I18n& i18n_;
    const core::Clock& clock_;
    std::string public_url_;

  private:
    std::function<void()> queued_;
};

}  // namespace vg::app
