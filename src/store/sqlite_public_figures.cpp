// SQLite queries of the public figures page (issue 14, migration 21): the organisation's
// choice of published figures and its weekly processing delays. Standard SQL (ON CONFLICT,
// a subquery with LIMIT): PostgreSQL accepts it as is.
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

std::optional<FigureChoice> SqliteSession::figure_choice(Id org) {
    auto s = c_.prepare(
        "SELECT held, video_share, median_delay, satisfaction, delays, updated_by, updated_at "
        "FROM published_figures WHERE organisation_id = ?");
    s.bind(1, org);
    if (!s.step()) return std::nullopt;
    FigureChoice c;
    c.held = s.i64(0) != 0;
    c.video_share = s.i64(1) != 0;
    c.median_delay = s.i64(2) != 0;
    c.satisfaction = s.i64(3) != 0;
    c.delays = s.i64(4) != 0;
    c.updated_by = s.text(5);
    c.updated_at = s.i64(6);
    return c;
}

void SqliteSession::put_figure_choice(Id org, const FigureChoice& c) {
    auto s = c_.prepare(
        "INSERT INTO published_figures (organisation_id, held, video_share, median_delay, "
        "satisfaction, delays, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?) "
        "ON CONFLICT (organisation_id) DO UPDATE SET held = excluded.held, "
        "video_share = excluded.video_share, median_delay = excluded.median_delay, "
        "satisfaction = excluded.satisfaction, delays = excluded.delays, "
        "updated_by = excluded.updated_by, updated_at = excluded.updated_at");
    s.bind(1, org)
        .bind(2, int(c.held))
        .bind(3, int(c.video_share))
        .bind(4, int(c.median_delay))
        .bind(5, int(c.satisfaction))
        .bind(6, int(c.delays))
        .bind(7, c.updated_by)
        .bind(8, now());
    s.run();
}

std::vector<DelayWeek> SqliteSession::delay_weeks(Id org, int weeks,
                                                  std::optional<core::LocalDay> until) {
    auto s = c_.prepare(
        "SELECT week, label, from_day, to_day, created_by, created_at FROM processing_delays "
        "WHERE organisation_id = ? AND week IN (SELECT DISTINCT week FROM processing_delays "
        "  WHERE organisation_id = ? AND week <= ? ORDER BY week DESC LIMIT ?) "
        "ORDER BY week DESC, position");
    s.bind(1, org).bind(2, org).bind(3, std::int64_t(until.value_or(INT32_MAX))).bind(4, weeks);
    std::vector<DelayWeek> out;
    while (s.step()) {
        auto week = core::LocalDay(s.i64(0));
        if (out.empty() || out.back().week != week) {
            out.emplace_back();
            out.back().organisation_id = org;
            out.back().week = week;
            out.back().created_by = s.text(4);
            out.back().created_at = s.i64(5);
        }
        out.back().lines.push_back(
            {LocalText::from_json(s.text(1)), core::LocalDay(s.i64(2)), core::LocalDay(s.i64(3))});
    }
    return out;
}

void SqliteSession::replace_delay_week(const DelayWeek& w) {
    auto del = c_.prepare("DELETE FROM processing_delays WHERE organisation_id = ? AND week = ?");
    del.bind(1, w.organisation_id).bind(2, w.week);
    del.run();
    int position = 0;
    for (auto& line : w.lines) {
        auto s = c_.prepare(
            "INSERT INTO processing_delays (organisation_id, week, position, label, from_day, "
            "to_day, created_by, created_at) VALUES (?,?,?,?,?,?,?,?)");
        s.bind(1, w.organisation_id)
            .bind(2, w.week)
            .bind(3, position++)
            .bind(4, line.label.to_json())
            .bind(5, line.from)
            .bind(6, line.to)
            .bind(7, w.created_by)
            .bind(8, now());
        s.run();
    }
}

}  // namespace vg::store::sqlite
