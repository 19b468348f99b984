// SQLite queries: The outbox: messages written with the change that causes them, leased by senders.
#include <algorithm>

#include "store/sql_dialect.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

void SqliteSession::enqueue(const OutboxMessage& m) {
    // The idempotency key makes a replayed change enqueue nothing twice.
    auto s = c_.prepare(
        "INSERT INTO outbox (organisation_id, appointment_id, idempotency_key, kind, "
        "channel, payload, due_at, next_attempt_at, created_at, queued) "
        "VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (idempotency_key) DO NOTHING");
    s.bind(1, m.organisation_id)
        .bind(2, m.appointment_id)
        .bind(3, m.idempotency_key)
        .bind(4, m.kind)
        .bind(5, m.channel)
        .bind(6, m.payload)
        .bind(7, m.due_at)
        .bind(8, m.due_at)
        .bind(9, now())
        .bind(10, m.due_at <= now() + kDeferAfter ? 1 : 0);
    s.run();
}

int SqliteSession::promote_deferred(Instant until) {
    auto s = c_.prepare(
        "UPDATE outbox SET queued=1 WHERE id IN (SELECT id FROM outbox "
        "WHERE queued=0 AND due_at<=?)");
    s.bind(1, until);
    s.run();
    return c_.changes();
}

std::optional<Instant> SqliteSession::next_due() {
    // The first entry of the due index (same condition as the index: no table scan).
    auto s = c_.prepare(
        "SELECT next_attempt_at FROM outbox WHERE status IN ('pending','sending') AND queued=1 "
        "ORDER BY next_attempt_at LIMIT 1");
    if (!s.step()) return std::nullopt;
    return s.i64(0);
}

bool SqliteSession::deferred_due(Instant until) {
    auto s = c_.prepare("SELECT 1 FROM outbox WHERE queued=0 AND due_at<=? LIMIT 1");
    s.bind(1, until);
    return s.step();
}

std::vector<OutboxRow> SqliteSession::claim_due(Instant now, Instant lease_until, int limit) {
    auto s = c_.prepare(
        "UPDATE outbox SET status='sending', next_attempt_at=? WHERE id IN ("
        "SELECT id FROM outbox WHERE status IN ('pending','sending') AND queued=1 "
        "AND next_attempt_at<=? "
        "ORDER BY next_attempt_at LIMIT ?) RETURNING " VG_OUTBOX_COLUMNS);
    s.bind(1, lease_until).bind(2, now).bind(3, limit);
    std::vector<OutboxRow> out;
    while (s.step()) out.push_back(read_outbox(s));
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.id < b.id; });
    return out;
}

bool SqliteSession::renew_lease(Id id, Instant expected, Instant lease) {
    auto s = c_.prepare(
        "UPDATE outbox SET next_attempt_at=? WHERE id=? AND status='sending' "
        "AND next_attempt_at=?");
    s.bind(1, lease).bind(2, id).bind(3, expected);
    s.run();
    return c_.changes() == 1;
}

void SqliteSession::mark_sent(Id id, Instant now) {
    // The sealed management token is no longer needed once the message is out.
    auto s = c_.prepare(
        "UPDATE outbox SET status='sent', sent_at=?, attempts=attempts+1, last_error='', "
        "payload=" VG_SQL_PAYLOAD_WITHOUT_TOKEN " WHERE id=?");
    s.bind(1, now).bind(2, id);
    s.run();
}

void SqliteSession::mark_retry(Id id, int attempts, Instant next, const std::string& error) {
    auto s = c_.prepare(
        "UPDATE outbox SET status='pending', attempts=?, next_attempt_at=?, last_error=? "
        "WHERE id=?");
    s.bind(1, attempts).bind(2, next).bind(3, error.substr(0, 500)).bind(4, id);
    s.run();
}

void SqliteSession::mark_dead(Id id, int attempts, const std::string& error) {
    auto s = c_.prepare("UPDATE outbox SET status='dead', attempts=?, last_error=? WHERE id=?");
    s.bind(1, attempts).bind(2, error.substr(0, 500)).bind(3, id);
    s.run();
}

void SqliteSession::mark_skipped(Id id, const std::string& why) {
    auto s = c_.prepare(
        "UPDATE outbox SET status='cancelled', last_error=?, "
        "payload=" VG_SQL_PAYLOAD_WITHOUT_TOKEN " WHERE id=?");
    s.bind(1, why).bind(2, id);
    s.run();
}

bool SqliteSession::sms_opted_out(Id org, const std::string& e164) {
    auto s = c_.prepare("SELECT 1 FROM sms_opt_outs WHERE organisation_id=? AND phone=?");
    s.bind(1, org).bind(2, e164);
    return s.step();
}

void SqliteSession::add_sms_opt_out(Id org, const std::string& e164) {
    auto s = c_.prepare(
        "INSERT INTO sms_opt_outs (organisation_id, phone, created_at) VALUES (?,?,?) "
        "ON CONFLICT DO NOTHING");
    s.bind(1, org).bind(2, e164).bind(3, now());
    s.run();
}

int SqliteSession::cancel_pending(Id appointment, const std::vector<std::string>& kinds) {
    int n = 0;
    for (auto& k : kinds) {
        auto s =
            c_.prepare("UPDATE outbox SET status='cancelled', payload=" VG_SQL_PAYLOAD_WITHOUT_TOKEN
                       " "
                       "WHERE appointment_id=? AND kind=? "
                       "AND status IN ('pending','sending')");
        s.bind(1, appointment).bind(2, k);
        s.run();
        n += c_.changes();
    }
    return n;
}

std::vector<OutboxRow> SqliteSession::outbox(Id org, const std::string& status, int limit) {
    // Dead letters through their partial index (the literal status lets SQLite use it);
    // other statuses are for diagnosis and may scan.
    static constexpr const char* dead = "SELECT " VG_OUTBOX_COLUMNS
                                        " FROM outbox WHERE organisation_id=? AND "
                                        "status='dead' AND ?<>'' ORDER BY id DESC LIMIT ?";
    static constexpr const char* any = "SELECT " VG_OUTBOX_COLUMNS
                                       " FROM outbox WHERE organisation_id=? AND status=? "
                                       "ORDER BY id DESC LIMIT ?";
    auto s = c_.prepare(status == "dead" ? dead : any);
    s.bind(1, org).bind(2, status).bind(3, limit);
    std::vector<OutboxRow> out;
    while (s.step()) out.push_back(read_outbox(s));
    return out;
}

bool SqliteSession::replay(Id org, Id id, Instant now) {
    auto s = c_.prepare(
        "UPDATE outbox SET status='pending', next_attempt_at=?, attempts=0, queued=1 "
        "WHERE id=? AND organisation_id=? AND status='dead'");
    s.bind(1, now).bind(2, id).bind(3, org);
    s.run();
    return c_.changes() == 1;
}

bool SqliteSession::reserve_sms(Id outbox_id, const std::string& e164, Instant now, int per_day) {
    auto count =
        c_.prepare("SELECT COUNT(*) FROM sms_sends WHERE phone=? AND sent_at>? AND outbox_id<>?");
    count.bind(1, e164).bind(2, now - 86400).bind(3, outbox_id);
    count.step();
    if (count.i32(0) >= per_day) return false;
    auto s = c_.prepare(
        "INSERT INTO sms_sends (outbox_id, phone, sent_at) VALUES (?,?,?) "
        "ON CONFLICT (outbox_id) DO UPDATE SET phone=excluded.phone, sent_at=excluded.sent_at");
    s.bind(1, outbox_id).bind(2, e164).bind(3, now);
    s.run();
    return true;
}

void SqliteSession::release_sms(Id outbox_id) {
    auto s = c_.prepare("DELETE FROM sms_sends WHERE outbox_id=?");
    s.bind(1, outbox_id);
    s.run();
}

int SqliteSession::release_waiting(Id appointment, const std::string& kind, Instant now) {
    auto s = c_.prepare(
        "UPDATE outbox SET next_attempt_at=CASE WHEN due_at>? THEN due_at ELSE ? END, "
        "last_error='' WHERE appointment_id=? AND kind=? AND status='pending'");
    s.bind(1, now).bind(2, now).bind(3, appointment).bind(4, kind);
    s.run();
    return c_.changes();
}

}  // namespace vg::store::sqlite
