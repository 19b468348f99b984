// SQLite queries: What the availability engine and a booking read: plans, absences, busy intervals.
#include <algorithm>

#include "store/sql_dialect.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

AvailabilityData SqliteSession::availability_data(Id org, Id motif, Instant from, Instant to,
                                                  bool with_busy) {
    AvailabilityData d;
    std::vector<Id> agents;
    {
        auto s = c_.prepare(
            "SELECT p.id, p.agent_id, p.site_id, p.weekdays, p.start_minute, p.end_minute, "
            "p.valid_from, p.valid_until, p.every_n_weeks, p.channels, p.motif_ids "
            "FROM opening_plans p JOIN agents a ON a.id = p.agent_id "
            "WHERE p.organisation_id=? AND a.active=1");
        s.bind(1, org);
        while (s.step()) {
            core::OpeningPlan p;
            p.id = s.i64(0);
            p.agent_id = s.i64(1);
            p.site_id = s.i64(2);
            p.rule = read_rule(s, 3);
            p.channels = std::uint8_t(s.i32(9));
            p.motif_ids = ids_from_json(s.text(10));
            if (motif != 0 && !p.motif_ids.empty() &&
                std::find(p.motif_ids.begin(), p.motif_ids.end(), motif) == p.motif_ids.end())
                continue;
            agents.push_back(p.agent_id);
            d.plans.push_back(std::move(p));
        }
    }
    std::sort(agents.begin(), agents.end());
    agents.erase(std::unique(agents.begin(), agents.end()), agents.end());
    auto wanted = [&](Id a) { return std::binary_search(agents.begin(), agents.end(), a); };
    {
        auto s = c_.prepare(
            "SELECT agent_id, starts_at, ends_at FROM absences "
            "WHERE organisation_id=? AND ends_at > ? AND starts_at < ?");
        s.bind(1, org).bind(2, from).bind(3, to);
        while (s.step())
            if (wanted(s.i64(0))) d.absences.push_back({s.i64(0), {s.i64(1), s.i64(2)}});
    }
    {
        auto s = c_.prepare(
            "SELECT agent_id, weekdays, start_minute, end_minute, valid_from, valid_until, "
            "every_n_weeks FROM recurring_absences WHERE organisation_id=?");
        s.bind(1, org);
        while (s.step())
            if (wanted(s.i64(0))) d.recurring_absences.push_back({s.i64(0), read_rule(s, 1)});
    }
    // Closed sites (local days; one day either side covers every zone).
    auto first = core::LocalDay(from / 86400 - 1), last = core::LocalDay(to / 86400 + 1);
    d.closures = site_closures(org, first, last);
    // The organisation's closed days (administration): every channel, one entry a day.
    for (auto& c : closed_days(org, first))
        for (auto day = std::max(c.first_day, first); day <= std::min(c.last_day, last); ++day)
            d.closures.push_back(
                {0, org, c.site_id.value_or(0), day, c.label, c.created_by, c.created_at, true});
    if (with_busy) d.busy = busy(agents, from, to, 86400);
    d.agents = std::move(agents);
    return d;
}

std::vector<AvailabilityData::Busy> SqliteSession::busy(const std::vector<Id>& agents, Instant from,
                                                        Instant to, Instant longest) {
    // One range of the partial covering index per agent (only live rows, no table
    // lookup), starting `longest` before `from`.
    auto s = c_.prepare(
        "SELECT agent_id, starts_at, ends_at FROM appointments "
        "WHERE agent_id " VG_SQL_IN_IDS
        " AND status IN ('booked','confirmed') AND starts_at < ? AND starts_at > ?");
    s.bind(1, ids_to_json(agents)).bind(2, to).bind(3, from - longest - 1);
    std::vector<AvailabilityData::Busy> out;
    while (s.step())
        if (s.i64(2) > from) out.push_back({s.i64(0), {s.i64(1), s.i64(2)}});
    return out;
}

bool SqliteSession::agent_is_free(Id agent, core::Interval span, Instant buffer,
                                  std::optional<Id> except) {
    auto s = c_.prepare(
        "SELECT 1 FROM appointments WHERE agent_id=? AND status IN ('booked','confirmed') "
        "AND starts_at < ? AND ends_at > ? AND starts_at > ? AND id <> ? LIMIT 1");
    s.bind(1, agent)
        .bind(2, span.end + buffer)
        .bind(3, span.start - buffer)
        .bind(4, span.start - buffer - 86400)
        .bind(5, except.value_or(-1));
    if (s.step()) return false;
    auto a = c_.prepare(
        "SELECT 1 FROM absences WHERE agent_id=? AND starts_at < ? AND ends_at > ? LIMIT 1");
    a.bind(1, agent).bind(2, span.end).bind(3, span.start);
    return !a.step();
}

int SqliteSession::count_live_overlaps(Id org) {
    auto s = c_.prepare(
        "SELECT COUNT(*) FROM appointments a JOIN appointments b ON a.agent_id = b.agent_id "
        "AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
        "WHERE a.organisation_id=? AND a.status IN ('booked','confirmed') "
        "AND b.status IN ('booked','confirmed')");
    s.bind(1, org);
    s.step();
    return s.i32(0);
}

}  // namespace vg::store::sqlite
