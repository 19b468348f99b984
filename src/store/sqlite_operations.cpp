// SQLite queries: operations (the outbox as /metrics and /readyz see it). Each statement uses
// one of the outbox's partial indexes (outbox_due, outbox_deferred, outbox_dead), so a
// scrape reads the small due queue, never the whole history.
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

OutboxStats SqliteSession::outbox_stats(Instant now) {
    OutboxStats out;
    auto q = c_.prepare(
        "SELECT status, COUNT(*), MIN(CASE WHEN due_at <= ? THEN due_at END) FROM outbox "
        "WHERE status IN ('pending','sending') AND queued = 1 GROUP BY status");
    q.bind(1, now);
    while (q.step()) {
        auto status = q.text(0);
        (status == "pending" ? out.pending : out.sending) = q.i64(1);
        if (auto due = q.opt_i64(2); due && (!out.oldest_due || *due < *out.oldest_due))
            out.oldest_due = due;
    }
    // Deferred messages come into the queue two hours before they are due; one still out of
    // it once due (nobody promoted it: no sending thread) is overdue all the same.
    auto d = c_.prepare(
        "SELECT COUNT(*), MIN(CASE WHEN due_at <= ? THEN due_at END) FROM outbox "
        "WHERE queued = 0 AND status = 'pending'");
    d.bind(1, now);
    if (d.step()) {
        out.deferred = d.i64(0);
        if (auto due = d.opt_i64(1); due && (!out.oldest_due || *due < *out.oldest_due))
            out.oldest_due = due;
    }
    auto dead = c_.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'dead'");
    if (dead.step()) out.dead = dead.i64(0);
    return out;
}

}  // namespace vg::store::sqlite
