// The monthly digest of the statistics (issue 14, docs/STATISTICS.md): on the first day of
// each month, in each organisation's zone, every administrator of the organisation gets an
// e-mail (outbox kind stats_digest) with the headline figures of the month that ended, each
// with its change from the month before, and a link to the statistics page, in their console
// language. Queued once per organisation and month (table stats_digests, in the transaction
// that queues the messages): a restart or a second server queues nothing twice.
#pragma once

#include <functional>
#include <string>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace vg::text {
class I18n;
}

namespace vg::app {

class StatsDigest {
  public:
    StatsDigest(store::Store& db, const text::I18n& i18n, const core::Clock& clock)
        : db_(db), i18n_(i18n), clock_(clock) {}

    // Queues the digests due at the clock's now: for each organisation, the month before the
    // one now is in (its zone), unless queued already or the organisation was created after
    // that month. A server that was down on the 1st sends it when it comes back within the
    // month. Returns how many messages were queued.
    int queue_due();
    // Called after messages were queued (the server wakes its sender).
    void on_messages_queued(std::function<void()> f) { queued_ = std::move(f); }

  private:
    int queue(const store::Organisation& org, core::Instant now);

    store::Store& db_;
    const text::I18n& i18n_;
    const core::Clock& clock_;
    std::function<void()> queued_;
};

}  // namespace vg::app
