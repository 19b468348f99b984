// Time to the first free slot, sampled daily (issue 14, migration 24; docs/STATISTICS.md).
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

bool SqliteSession::add_first_slot_sample(Id org, const FirstSlotSample& x) {
    auto s = c_.prepare(
        "INSERT INTO first_slot_samples (organisation_id, motif_id, channel, day, days, "
        "sampled_at) VALUES (?,?,?,?,?,?) "
        "ON CONFLICT (organisation_id, motif_id, channel, day) DO NOTHING");
    s.bind(1, org).bind(2, x.motif_id).bind(3, std::string(core::to_string(x.channel)));
    s.bind(4, std::int64_t(x.day));
    if (x.days)
        s.bind(5, std::int64_t(*x.days));
    else
        s.bind_null(5);
    s.bind(6, now());
    s.run();
    return c_.changes() > 0;
}

std::vector<FirstSlotSample> SqliteSession::first_slot_samples(Id org, core::LocalDay first,
                                                               core::LocalDay last) {
    auto s = c_.prepare(
        "SELECT motif_id, channel, day, days FROM first_slot_samples "
        "WHERE organisation_id = ? AND day >= ? AND day <= ? ORDER BY day, motif_id, channel");
    s.bind(1, org).bind(2, std::int64_t(first)).bind(3, std::int64_t(last));
    std::vector<FirstSlotSample> out;
    while (s.step()) {
        FirstSlotSample x;
        x.motif_id = s.i64(0);
        x.channel = core::parse_channel(s.text(1)).value_or(core::Channel::video);
        x.day = core::LocalDay(s.i64(2));
        if (!s.is_null(3)) x.days = int(s.i64(3));
        out.push_back(x);
    }
    return out;
}

}  // namespace vg::store::sqlite
