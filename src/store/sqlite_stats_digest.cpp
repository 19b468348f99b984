// SQLite queries of the statistics' SMS segments and monthly digest (issue 14, migration 20).
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

void SqliteSession::set_sms_segments(Id outbox_id, int segments) {
    auto s = c_.prepare("UPDATE outbox SET sms_segments = ? WHERE id = ?");
    s.bind(1, segments).bind(2, outbox_id);
    s.run();
}

std::optional<Instant> SqliteSession::organisation_created_at(Id org) {
    auto s = c_.prepare("SELECT created_at FROM organisations WHERE id = ?");
    s.bind(1, org);
    if (!s.step()) return std::nullopt;
    return s.i64(0);
}

bool SqliteSession::digest_queued(Id org, const std::string& month) {
    auto s = c_.prepare("SELECT 1 FROM stats_digests WHERE organisation_id = ? AND month = ?");
    s.bind(1, org).bind(2, month);
    return s.step();
}

bool SqliteSession::claim_digest(Id org, const std::string& month) {
    auto s = c_.prepare(
        "INSERT INTO stats_digests (organisation_id, month, queued_at) VALUES (?, ?, ?) "
        "ON CONFLICT (organisation_id, month) DO NOTHING");
    s.bind(1, org).bind(2, month).bind(3, now());
    s.run();
    return c_.changes() == 1;
}

}  // namespace vg::store::sqlite
