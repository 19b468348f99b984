// The statistics (issue 14, docs/STATISTICS.md) on a data set made by hand: two sites in two
// zones (Europe/Paris, Indian/Reunion), the day Paris moves to summer time, and every figure
// computed by hand in the comments. Then the store's statement on a real SQLite file.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "core/browser.hpp"
#include "core/timefmt.hpp"
#include "demo_fixture.hpp"
#include "stats/export.hpp"
#include "stats/figures.hpp"
#include "stats/xlsx.hpp"

using namespace vg;
using store::AppointmentStatus;
using store::StatsAppointment;

namespace {

core::Instant at(const char* iso) {
    return *core::parse_iso8601(iso);
}
core::LocalDay day(const char* ymd) {
    return *core::parse_ymd(ymd);
}

constexpr core::Id kParis = 1, kReunion = 2;

StatsAppointment row(core::Id id, core::Id site, core::Id agent, core::Channel ch,
                     const char* origin, const char* lang, const char* created, const char* starts,
                     AppointmentStatus status) {
    StatsAppointment a;
    a.id = id;
    a.motif_id = 10;
    a.site_id = site;
    a.agent_id = agent;
    a.channel = ch;
    a.origin = origin;
    a.language = lang;
    a.created_at = at(created);
    a.starts_at = at(starts);
    a.ends_at = a.starts_at + 1800;
    a.status = status;
    return a;
}

class StatsFigures : public ::testing::Test {
  protected:
    void SetUp() override {
        zones.organisation = core::zone_or_default("Europe/Paris");
        zones.sites[kParis] = core::zone_or_default("Europe/Paris");
        zones.sites[kReunion] = core::zone_or_default("Indian/Reunion");
        using C = core::Channel;
        // A1: held on the DST Sunday at 09:00 summer time, booked long before.
        auto a1 = row(1, kParis, 100, C::video, "citizen", "fr", "2026-03-20T10:00:00+01:00",
                      "2026-03-29T09:00:00+02:00", AppointmentStatus::honoured);
        a1.resolved = "yes", a1.request_type = "claim", a1.theme = "housing";
        a1.autonomy = "autonomous", a1.rating = 5, a1.comment = "Très bien", a1.confirmed = true;
        // A2: booked on the DST Sunday at 01:30 winter time (Paris day 03-29), a no-show.
        auto a2 = row(2, kParis, 100, C::on_site, "agent", "en", "2026-03-29T01:30:00+01:00",
                      "2026-03-30T14:00:00+02:00", AppointmentStatus::no_show);
        // A3: booked at 01:00 in Reunion on 03-29 (still 03-28 in Paris), cancelled by the
        // citizen.
        auto a3 = row(3, kReunion, 200, C::phone, "citizen", "fr", "2026-03-29T01:00:00+04:00",
                      "2026-03-31T09:00:00+04:00", AppointmentStatus::cancelled);
        a3.cancelled_by = "citizen", a3.cancel_reason = "Empêchement";
        // A4: starts 04-01 00:30 in Reunion (still 03-31 in Paris): booked in, not scheduled in.
        auto a4 = row(4, kReunion, 200, C::video, "partner", "fr", "2026-03-30T12:00:00+04:00",
                      "2026-04-01T00:30:00+04:00", AppointmentStatus::booked);
        a4.motif_id = 11;
        // A5: rescheduled once, then cancelled by the agency.
        auto a5 = row(5, kParis, 100, C::on_site, "citizen", "de", "2026-03-30T08:00:00+02:00",
                      "2026-03-31T10:00:00+02:00", AppointmentStatus::cancelled);
        a5.cancelled_by = "agency", a5.cancel_reason = "Site fermé", a5.reschedules = 1;
        // A6: moved to the phone, held, partially resolved, rated 2 without comment.
        auto a6 = row(6, kParis, 100, C::phone, "citizen", "fr", "2026-03-30T09:00:00+02:00",
                      "2026-03-30T16:00:00+02:00", AppointmentStatus::honoured);
        a6.moved_to_phone = true, a6.resolved = "partially", a6.request_type = "claim";
        a6.autonomy = "needs_help", a6.rating = 2;
        // A7: booked 01:50 winter time, held 03:30 summer time the same DST night (hour 3:
        // 02:xx does not exist that night).
        auto a7 = row(7, kParis, 100, C::on_site, "citizen", "fr", "2026-03-29T01:50:00+01:00",
                      "2026-03-29T03:30:00+02:00", AppointmentStatus::honoured);
        // A8: the previous period.
        auto a8 = row(8, kParis, 100, C::video, "citizen", "fr", "2026-03-26T10:00:00+01:00",
                      "2026-03-27T10:00:00+01:00", AppointmentStatus::honoured);
        rows = {a1, a2, a3, a4, a5, a6, a7, a8};
        filter.period = {day("2026-03-29"), day("2026-03-31")};
    }

    stats::Zones zones;
    std::vector<StatsAppointment> rows;
    stats::Filter filter;
};

TEST_F(StatsFigures, Bookings) {
    auto f = stats::compute(rows, filter, zones);
    // Booked 03-29..03-31 in their site's zone: A2, A3 (Reunion), A4, A5, A6, A7.
    EXPECT_EQ(f.bookings, 6);
    EXPECT_EQ(f.by_origin,
              (std::map<std::string, int>{{"agent", 1}, {"citizen", 4}, {"partner", 1}}));
    EXPECT_EQ(f.by_channel,
              (std::map<std::string, int>{{"on_site", 3}, {"phone", 2}, {"video", 1}}));
    EXPECT_EQ(f.by_motif, (std::map<core::Id, int>{{10, 5}, {11, 1}}));
    EXPECT_EQ(f.by_site, (std::map<core::Id, int>{{kParis, 4}, {kReunion, 2}}));
    EXPECT_EQ(f.by_language, (std::map<std::string, int>{{"de", 1}, {"en", 1}, {"fr", 4}}));
    std::array<int, 24> hours{};
    hours[14] = 1, hours[9] = 1, hours[0] = 1, hours[10] = 1, hours[16] = 1, hours[3] = 1;
    EXPECT_EQ(f.by_hour, hours);
    // 2026-03-29 is a Sunday: A2, A6 Monday; A3, A5 Tuesday; A4 Wednesday; A7 Sunday.
    EXPECT_EQ(f.by_weekday, (std::array<int, 7>{2, 2, 1, 0, 0, 0, 1}));
    // Delays (s): A7 2400, A6 25200, A5 93600, A2 127800, A4 131400, A3 201600.
    // Median: 3rd of 6 = 93600 s; p90: ceil(5.4) = 6th = 201600 s.
    ASSERT_TRUE(f.median_booking_delay_days);
    EXPECT_DOUBLE_EQ(*f.median_booking_delay_days, 93600.0 / 86400);
    EXPECT_DOUBLE_EQ(*f.p90_booking_delay_days, 201600.0 / 86400);
}

TEST_F(StatsFigures, Outcomes) {
    auto f = stats::compute(rows, filter, zones);
    // Scheduled 03-29..03-31: A1, A2, A3, A5, A6, A7 (A4 starts 04-01 in Reunion).
    EXPECT_EQ(f.scheduled, 6);
    EXPECT_EQ(f.held, 3);
    EXPECT_EQ(f.no_shows, 1);
    EXPECT_EQ(f.cancelled_by_citizen, 1);
    EXPECT_EQ(f.cancelled_by_agency, 1);
    EXPECT_EQ(f.cancelled(), 2);
    EXPECT_EQ(f.cancel_reasons,
              (std::map<std::string, int>{{"Empêchement", 1}, {"Site fermé", 1}}));
    EXPECT_EQ(f.moved_to_phone, 1);
    EXPECT_EQ(f.rescheduled, 1);
    EXPECT_EQ(f.upcoming, 0);
    EXPECT_EQ(f.confirmed, 1);
    EXPECT_DOUBLE_EQ(*f.no_show_rate(), 1.0 / 4);
    EXPECT_DOUBLE_EQ(*f.confirmed_share(), 1.0 / 6);
}

TEST_F(StatsFigures, QualificationSatisfactionAndLoad) {
    auto f = stats::compute(rows, filter, zones);
    EXPECT_EQ(f.qualified, 2);
    EXPECT_EQ(f.resolved, (std::map<std::string, int>{{"partially", 1}, {"yes", 1}}));
    EXPECT_EQ(f.request_types, (std::map<std::string, int>{{"claim", 2}}));
    EXPECT_EQ(f.themes, (std::map<std::string, int>{{"housing", 1}}));
    EXPECT_EQ(f.autonomy, (std::map<std::string, int>{{"autonomous", 1}, {"needs_help", 1}}));
    EXPECT_EQ(f.request_type_by_resolved.at("claim"),
              (std::map<std::string, int>{{"partially", 1}, {"yes", 1}}));
    EXPECT_EQ(f.answers, 2);
    EXPECT_EQ(f.ratings, (std::array<int, 5>{0, 1, 0, 0, 1}));
    EXPECT_DOUBLE_EQ(*f.average_rating, 3.5);
    EXPECT_DOUBLE_EQ(*f.csat_share, 0.5);
    EXPECT_EQ(f.comments, std::vector<std::string>{"Très bien"});
    // Agent 100: A1, A7 on 03-29, A2, A6 on 03-30; agent 200's only one was cancelled.
    ASSERT_EQ(f.load.size(), 1u);
    EXPECT_EQ(f.load.at(100).appointments, 4);
    EXPECT_EQ(f.load.at(100).days, 2);
    EXPECT_EQ(f.load.at(100).busiest_day, 2);
    EXPECT_DOUBLE_EQ(f.load.at(100).per_day(), 2.0);
}

TEST_F(StatsFigures, PreviousPeriodAndFilters) {
    auto prev = stats::previous(filter.period);
    EXPECT_EQ(prev.first, day("2026-03-26"));
    EXPECT_EQ(prev.last, day("2026-03-28"));
    auto p = filter;
    p.period = prev;
    auto f = stats::compute(rows, p, zones);
    // A8 only: A3 was booked on 03-29 in Reunion although it was 03-28 in Paris.
    EXPECT_EQ(f.bookings, 1);
    EXPECT_EQ(f.held, 1);

    auto phone = filter;
    phone.channel = core::Channel::phone;
    EXPECT_EQ(stats::compute(rows, phone, zones).bookings, 2);  // A3, A6
    auto reunion = filter;
    reunion.agents = std::vector<core::Id>{200};
    auto r = stats::compute(rows, reunion, zones);
    EXPECT_EQ(r.bookings, 2);   // A3, A4
    EXPECT_EQ(r.scheduled, 1);  // A3
    auto agent = filter;
    agent.origin = "agent";
    EXPECT_EQ(stats::compute(rows, agent, zones).bookings, 1);
    auto de = filter;
    de.language = "de";
    de.site = kParis;
    EXPECT_EQ(stats::compute(rows, de, zones).cancelled_by_agency, 1);
    auto motif = filter;
    motif.motif = 11;
    EXPECT_EQ(stats::compute(rows, motif, zones).bookings, 1);
}

TEST(StatsPercentile, NearestRank) {
    EXPECT_FALSE(stats::percentile({}, 0.5));
    EXPECT_EQ(*stats::percentile({7}, 0.9), 7);
    EXPECT_EQ(*stats::percentile({4, 1, 3, 2}, 0.5), 2);
    EXPECT_EQ(*stats::percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9), 9);
}

TEST(StatsMessages, ByMonthInTheOrganisationsZone) {
    std::vector<store::StatsMessage> m = {
        {at("2026-03-29T10:00:00Z"), "email", "sent", false, 0},
        {at("2026-03-30T10:00:00Z"), "sms", "sent", true, 3},
        {at("2026-03-31T21:00:00Z"), "sms", "dead", true, 2},     // 23:00 in Paris: in
        {at("2026-03-31T21:10:00Z"), "sms", "sent", false, 1},    // 23:10 in Paris: in
        {at("2026-03-31T22:30:00Z"), "email", "sent", false, 0},  // 04-01 00:30 in Paris: out
    };
    auto out = stats::messages_by_month(m, {day("2026-03-29"), day("2026-03-31")},
                                        core::zone_or_default("Europe/Paris"));
    ASSERT_EQ(out.size(), 1u);
    auto& x = out.at("2026-03");
    EXPECT_EQ(x.sent, 3);
    EXPECT_EQ(x.failed, 2);
    EXPECT_EQ(x.dead, 1);
    EXPECT_EQ(x.sms, 2);
    EXPECT_EQ(x.email, 1);
    // The segments of the SMS sent (3 + 1); the dead one's 2 cost nothing.
    EXPECT_EQ(x.sms_segments, 4);
    auto j = stats::messages_json(out);
    EXPECT_EQ(j["sms_segments"], 4);
    EXPECT_EQ(j["by_month"]["2026-03"]["sms_segments"], 4);
    EXPECT_EQ(j["by_month"]["2026-03"]["sms"], 2);
}

TEST(StatsCsv, CellsQuotedAndFormulasNeutralised) {
    EXPECT_EQ(stats::csv_cell("plain"), "plain");
    EXPECT_EQ(stats::csv_cell(""), "");
    EXPECT_EQ(stats::csv_cell("a,b"), "\"a,b\"");
    EXPECT_EQ(stats::csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(stats::csv_cell("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(stats::csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    EXPECT_EQ(stats::csv_cell("+33"), "'+33");
    EXPECT_EQ(stats::csv_cell("-1"), "'-1");
    EXPECT_EQ(stats::csv_cell("@SUM(1)"), "'@SUM(1)");
    EXPECT_EQ(stats::csv_cell("\tx"), "'\tx");
    EXPECT_EQ(stats::csv_cell("\rx"), "\"'\rx\"");
    EXPECT_EQ(stats::csv_cell("a=b"), "a=b");
}

TEST_F(StatsFigures, CsvLinesAndJson) {
    stats::Names names;
    names.motifs[10] = "Prime d'activité";
    names.sites[kReunion] = "Saint-Denis";
    auto h = stats::csv_header(false);
    EXPECT_EQ(h.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_EQ(h.find("email"), std::string::npos);
    EXPECT_NE(stats::csv_header(true).find("email"), std::string::npos);
    auto a3 = rows[2];
    a3.email = "x@example.org";
    auto line = stats::csv_line(stats::export_cells(a3, names, zones, false));
    EXPECT_EQ(line.rfind("3,citizen,phone,Prime d'activité,Saint-Denis,200,fr,", 0), 0u) << line;
    // Times in the site's zone; the delay in days.
    EXPECT_NE(line.find("2026-03-31T09:00:00+04:00"), std::string::npos);
    EXPECT_NE(line.find(",2.33,cancelled,citizen,Empêchement,"), std::string::npos);
    EXPECT_EQ(line.find("x@example.org"), std::string::npos);
    EXPECT_NE(stats::csv_line(stats::export_cells(a3, names, zones, true)).find("x@example.org"),
              std::string::npos);
    EXPECT_EQ(line.substr(line.size() - 2), "\r\n");
    // The same cells, typed for the XLSX writer: numbers, local times of the site's zone.
    auto cells = stats::export_cells(a3, names, zones, false);
    ASSERT_EQ(cells.size(), stats::export_columns(false).size());
    EXPECT_EQ(stats::export_columns(true).size(), cells.size() + 5);
    EXPECT_EQ(cells[0].type, stats::Cell::Type::number);
    EXPECT_EQ(cells[0].number, 3);
    EXPECT_EQ(cells[8].type, stats::Cell::Type::time);  // starts_at, Réunion
    EXPECT_EQ(cells[8].text, "2026-03-31T09:00:00+04:00");
    EXPECT_EQ(std::tie(cells[8].local.year, cells[8].local.month, cells[8].local.day,
                       cells[8].local.hour, cells[8].local.minute, cells[8].second),
              std::make_tuple(2026, 3, 31, 9, 0, 0));
    EXPECT_EQ(cells[10].type, stats::Cell::Type::number);  // booking_delay_days
    EXPECT_DOUBLE_EQ(cells[10].number, 2.33);
    EXPECT_EQ(cells[10].decimals, 2);
    EXPECT_EQ(cells[21].type, stats::Cell::Type::blank);  // no rating
    EXPECT_EQ(cells[13].type, stats::Cell::Type::text);
    EXPECT_EQ(cells[13].text, "Empêchement");
    // The XLSX writer gives a ZIP file (the integration test reads it back with openpyxl).
    stats::XlsxWriter xlsx(stats::export_columns(false));
    xlsx.add(cells);
    auto bytes = xlsx.finish();
    EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));
    // Exported: passes the filter and starts or was booked in the period (A8 does not).
    int n = 0;
    for (auto& a : rows) n += stats::exported(filter, a, zones);
    EXPECT_EQ(n, 7);
    auto j = stats::to_json(stats::compute(rows, filter, zones), filter.period);
    EXPECT_EQ(j["bookings"], 6);
    EXPECT_EQ(j["held"], 3);
    EXPECT_EQ(j["no_shows"], 1);
    EXPECT_EQ(j["cancelled"], 2);
    EXPECT_EQ(j["by_channel"]["phone"], 2);
    EXPECT_EQ(j["by_origin"]["partner"], 1);
    EXPECT_DOUBLE_EQ(j["median_booking_delay_days"].get<double>(), 93600.0 / 86400);
    EXPECT_DOUBLE_EQ(j["satisfaction"]["average"].get<double>(), 3.5);
    EXPECT_EQ(j["from"], "2026-03-29");
}

// Video (docs/STATISTICS.md "Video"): the rooms of the appointments scheduled in the period,
// figures computed by hand.
class StatsVideo : public StatsFigures {
  protected:
    void SetUp() override {
        StatsFigures::SetUp();
        auto room = [&](size_t i, const char* browser) -> StatsAppointment& {
            auto& a = rows[i];
            a.room_joined = true;
            a.browser = browser;
            return a;
        };
        // A1 (Paris, 03-29 09:00): joined 08:58, admitted 09:01 (wait 180 s), ended 09:21
        // (1200 s), through the relay, one failure, two ICE restarts, Firefox.
        auto& a1 = room(0, "firefox");
        a1.citizen_joined_at = at("2026-03-29T08:58:00+02:00");
        a1.admitted_at = at("2026-03-29T09:01:00+02:00");
        a1.call_ended_at = at("2026-03-29T09:21:00+02:00");
        a1.connected = a1.relayed = true;
        a1.connection_failures = 1, a1.ice_restarts = 2;
        // A6 (Paris, 03-30 16:00): joined 15:55, admitted 16:05 (600 s), last left 16:10
        // (300 s), direct, one ICE restart, fell back to audio, then to the phone, Chrome.
        auto& a6 = room(5, "chrome");
        a6.citizen_joined_at = at("2026-03-30T15:55:00+02:00");
        a6.admitted_at = at("2026-03-30T16:05:00+02:00");
        a6.call_ended_at = at("2026-03-30T16:10:00+02:00");
        a6.connected = true, a6.ice_restarts = 1, a6.audio_fallback = a6.room_to_phone = true;
        // A2 (Paris, 03-30): the citizen waited, never admitted: no wait, no duration. Safari.
        room(1, "safari").citizen_joined_at = at("2026-03-30T13:59:00+02:00");
        // A7 (Paris, 03-29 03:30): only the agent came; the citizen's browser is unknown.
        room(6, "");
        // A5 (Paris, 03-31 10:00): a guest admitted 09:59 before the citizen joined 10:00: no
        // wait; ended 10:30 (1860 s after the admission); relayed, two failures, Firefox.
        auto& a5 = room(4, "firefox");
        a5.citizen_joined_at = at("2026-03-31T10:00:00+02:00");
        a5.admitted_at = at("2026-03-31T09:59:00+02:00");
        a5.call_ended_at = at("2026-03-31T10:30:00+02:00");
        a5.connected = a5.relayed = true, a5.connection_failures = 2;
        // A4 (Reunion, starts 04-01 local): not scheduled in the period, its room not counted.
        auto& a4 = room(3, "edge");
        a4.citizen_joined_at = at("2026-04-01T00:00:00+04:00");
        a4.admitted_at = at("2026-04-01T02:00:00+04:00");
        a4.connected = true, a4.connection_failures = 5;
    }
};

TEST_F(StatsVideo, FiguresByHand) {
    auto v = stats::compute(rows, filter, zones).video;
    EXPECT_EQ(v.calls, 5);  // A1, A2, A5, A6, A7
    // Waits: A1 180, A6 600 -> median the 1st of 2 (180), p90 the ceil(1.8) = 2nd (600).
    EXPECT_EQ(v.waits, 2);
    EXPECT_EQ(v.median_wait_seconds, 180);
    EXPECT_EQ(v.p90_wait_seconds, 600);
    // Durations: A6 300, A1 1200, A5 1860 -> median the 2nd of 3.
    EXPECT_EQ(v.durations, 3);
    EXPECT_EQ(v.median_duration_seconds, 1200);
    EXPECT_EQ(v.connection_failures, 3);  // A1 1 + A5 2
    EXPECT_EQ(v.failed_calls, 2);
    EXPECT_EQ(v.ice_restarts, 3);  // A1 2 + A6 1
    EXPECT_EQ(v.audio_fallbacks, 1);
    EXPECT_EQ(v.phone_fallbacks, 1);
    EXPECT_EQ(v.connected, 3);  // A1, A5, A6
    EXPECT_EQ(v.relayed, 2);    // A1, A5
    EXPECT_DOUBLE_EQ(*v.relayed_share(), 2.0 / 3);
    ASSERT_EQ(v.by_browser.size(), 4u);
    auto& ff = v.by_browser["firefox"];
    EXPECT_EQ(std::tie(ff.calls, ff.connected, ff.relayed, ff.failed, ff.ice_restarts,
                       ff.audio_fallbacks),
              std::make_tuple(2, 2, 2, 2, 2, 0));
    auto& ch = v.by_browser["chrome"];
    EXPECT_EQ(std::tie(ch.calls, ch.connected, ch.relayed, ch.failed, ch.ice_restarts,
                       ch.audio_fallbacks),
              std::make_tuple(1, 1, 0, 0, 1, 1));
    EXPECT_EQ(v.by_browser["safari"].calls, 1);
    EXPECT_EQ(v.by_browser["safari"].connected, 0);
    EXPECT_EQ(v.by_browser[""].calls, 1);
    // Nothing connected: no share. The previous period (A8) has no room.
    auto prev = filter;
    prev.period = stats::previous(filter.period);
    auto p = stats::compute(rows, prev, zones).video;
    EXPECT_EQ(p.calls, 0);
    EXPECT_FALSE(p.relayed_share());
    EXPECT_FALSE(p.median_wait_seconds);
    // Filters apply: channel video keeps A1 only (A4 is not scheduled in the period).
    auto video = filter;
    video.channel = core::Channel::video;
    auto only = stats::compute(rows, video, zones).video;
    EXPECT_EQ(only.calls, 1);
    EXPECT_EQ(only.median_wait_seconds, 180);
}

TEST_F(StatsVideo, ExportColumnsAndJson) {
    stats::Names names;
    auto cols = stats::export_columns(false);
    auto col = [&](const char* name) {
        return size_t(std::find(cols.begin(), cols.end(), name) - cols.begin());
    };
    auto a1 = stats::export_cells(rows[0], names, zones, false);
    ASSERT_EQ(a1.size(), cols.size());
    EXPECT_EQ(a1[col("room_wait_minutes")].text, "3.00");
    EXPECT_DOUBLE_EQ(a1[col("room_wait_minutes")].number, 3.0);
    EXPECT_EQ(a1[col("room_wait_minutes")].type, stats::Cell::Type::number);
    EXPECT_EQ(a1[col("call_minutes")].text, "20.00");
    EXPECT_EQ(a1[col("browser")].text, "firefox");
    EXPECT_EQ(a1[col("relayed")].text, "yes");
    EXPECT_EQ(a1[col("ice_restarts")].text, "2");
    EXPECT_EQ(a1[col("connection_failures")].text, "1");
    EXPECT_EQ(a1[col("audio_fallback")].text, "no");
    // A2 waited without admission: no wait, no duration; A3 had no room: blanks.
    auto a2 = stats::export_cells(rows[1], names, zones, false);
    EXPECT_EQ(a2[col("room_wait_minutes")].type, stats::Cell::Type::blank);
    EXPECT_EQ(a2[col("relayed")].text, "no");
    auto a3 = stats::export_cells(rows[2], names, zones, false);
    for (auto c : {"room_wait_minutes", "call_minutes", "browser", "relayed", "ice_restarts",
                   "connection_failures", "audio_fallback"})
        EXPECT_EQ(a3[col(c)].type, stats::Cell::Type::blank) << c;
    auto j = stats::to_json(stats::compute(rows, filter, zones), filter.period)["video"];
    EXPECT_EQ(j["calls"], 5);
    EXPECT_EQ(j["median_wait_seconds"], 180);
    EXPECT_EQ(j["p90_wait_seconds"], 600);
    EXPECT_EQ(j["median_call_seconds"], 1200);
    EXPECT_EQ(j["connection_failures"], 3);
    EXPECT_EQ(j["ice_restarts"], 3);
    EXPECT_EQ(j["audio_fallbacks"], 1);
    EXPECT_EQ(j["phone_fallbacks"], 1);
    EXPECT_DOUBLE_EQ(j["relayed_share"].get<double>(), 2.0 / 3);
    EXPECT_EQ(j["by_browser"]["firefox"]["relayed"], 2);
    EXPECT_EQ(j["by_browser"]["unknown"]["calls"], 1);
}

// Free time offered versus booked (docs/STATISTICS.md "Agents' load"), by hand.
TEST_F(StatsFigures, OfferedVersusBooked) {
    auto rule = [](std::uint8_t weekdays, int from_h, int to_h) {
        core::WeeklyRule r;
        r.weekdays = weekdays;
        r.start_minute = from_h * 60;
        r.end_minute = to_h * 60;
        r.valid_from = day("2026-01-01");
        return r;
    };
    store::AvailabilityData d;
    // Agent 100 in Paris: every day 08-12; Sundays 01-04, which on 03-29 (summer time from
    // 02:00 to 03:00) is 2 hours; Mondays 10-14, overlapping 08-12 (counted once: 08-14).
    d.plans.push_back({1, 100, kParis, rule(0x7F, 8, 12), {}, core::all_channels});
    d.plans.push_back({2, 100, kParis, rule(1 << 6, 1, 4), {}, core::all_channels});
    d.plans.push_back({3, 100, kParis, rule(1 << 0, 10, 14), {}, core::all_channels});
    // Absent on Tuesday 09-10, and every Tuesday 11:00-11:30.
    d.absences.push_back({100, {at("2026-03-31T09:00:00+02:00"), at("2026-03-31T10:00:00+02:00")}});
    auto lunch = rule(1 << 1, 11, 11);
    lunch.end_minute = 11 * 60 + 30;
    d.recurring_absences.push_back({100, lunch});
    // Agent 200 in Reunion: weekdays 08-12 local, on site only, motif 11 only; the site is
    // closed on Tuesday by a supervisor (on site).
    d.plans.push_back(
        {4, 200, kReunion, rule(0x1F, 8, 12), {11}, core::channel_bit(core::Channel::on_site)});
    d.closures.push_back({0, 1, kReunion, day("2026-03-31"), "", "", 0, false});
    std::vector<core::SiteCalendar> sites{{kParis, zones.sites[kParis], {}},
                                          {kReunion, zones.sites[kReunion], {}}};
    auto f = stats::compute(rows, filter, zones);
    stats::offer(f, d, sites, filter);
    // 100: Sunday 4 + 2 h, Monday 6 h, Tuesday 4 - 1 - 0.5 h = 14.5 h = 52200 s.
    // 200: Monday 4 h (Sunday is no weekday, Tuesday closed) = 14400 s.
    EXPECT_EQ(f.offered_seconds, (std::map<core::Id, core::Instant>{{100, 52200}, {200, 14400}}));
    // Booked: agent 100's appointments not cancelled (A1, A2, A6, A7), 30 minutes each.
    EXPECT_EQ(f.load[100].booked_seconds, 7200);
    EXPECT_EQ(f.booked_total(), 7200);
    EXPECT_EQ(f.offered_total(), 66600);
    EXPECT_DOUBLE_EQ(*f.booked_share(), 7200.0 / 66600);
    // The API gives the same, in minutes.
    auto j = stats::to_json(f, filter.period)["load"];
    EXPECT_EQ(j["offered_minutes"], 1110);
    EXPECT_EQ(j["booked_minutes"], 120);
    EXPECT_EQ(j["by_agent"]["200"]["offered_minutes"], 240);
    EXPECT_EQ(j["by_agent"]["200"]["booked_minutes"], 0);
    EXPECT_EQ(j["by_agent"]["100"]["appointments"], 4);
    // Video: agent 200's plan offers no video, and the closure (on site) no longer counts
    // for the plans left; motif 10: not agent 200's either.
    auto video = filter;
    video.channel = core::Channel::video;
    stats::offer(f, d, sites, video);
    EXPECT_EQ(f.offered_seconds, (std::map<core::Id, core::Instant>{{100, 52200}}));
    auto motif = filter;
    motif.motif = 10;
    stats::offer(f, d, sites, motif);
    EXPECT_EQ(f.offered_seconds.count(200), 0u);
    // A public holiday in Paris on Monday: agent 100 loses its 6 hours.
    sites[0].holidays.insert(day("2026-03-30"));
    stats::offer(f, d, sites, filter);
    EXPECT_EQ(f.offered_seconds[100], 52200 - 6 * 3600);
    // The scope: agent 200 only.
    auto scoped = filter;
    scoped.agents = std::vector<core::Id>{200};
    stats::offer(f, d, sites, scoped);
    EXPECT_EQ(f.offered_seconds, (std::map<core::Id, core::Instant>{{200, 14400}}));
}

TEST(BrowserFamily, FromUserAgent) {
    EXPECT_EQ(core::browser_family("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                                   "(KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0"),
              "edge");
    EXPECT_EQ(core::browser_family("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
                                   "like Gecko) HeadlessChrome/120.0 Safari/537.36"),
              "chrome");
    EXPECT_EQ(core::browser_family("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                                   "AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 "
                                   "Mobile/15E148 Safari/604.1"),
              "chrome");
    EXPECT_EQ(core::browser_family("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 "
                                   "Firefox/121.0"),
              "firefox");
    EXPECT_EQ(core::browser_family("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/"
                                   "605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15"),
              "safari");
    EXPECT_EQ(core::browser_family(""), "other");
    EXPECT_EQ(core::browser_family("Python-urllib/3.11"), "other");
}

// The store's one statement: what the history, the outcome and the survey say.
class StatsStore : public unit::DemoFixture {};

TEST_F(StatsStore, OneRowPerAppointmentWithItsHistory) {
    const auto& site = org.sites[0];
    const auto& motif = org.motifs[0];
    core::Id agent = 0;
    db->read([&](store::Session& s) { agent = s.agents(org.org.id).front().id; });
    auto make = [&](core::Instant start, const std::string& hash) {
        store::Appointment a;
        a.organisation_id = org.org.id;
        a.motif_id = motif.id;
        a.site_id = site.id;
        a.agent_id = agent;
        a.channel = core::Channel::on_site;
        a.starts_at = start;
        a.ends_at = start + 1800;
        a.citizen = {"Zoé", "Martin", "zoe@example.org", "+33612345678", "nl", "", ""};
        a.terms_version = org.terms->version;
        a.booked_by.kind = "agent";
        a.token_hash = hash;
        a.token_expires_at = start + 86400;
        a.created_at = unit::kWednesday;
        a.updated_at = unit::kWednesday;
        return a;
    };
    const core::Instant t = unit::kWednesday + 86400;
    core::Id held = 0, cancelled = 0, outside = 0, other = 0;
    db->write([&](store::Session& s) {
        auto a = make(t, "h1");
        a.status = store::AppointmentStatus::honoured;
        held = s.insert_appointment(a);
        s.add_event(held, "presence_confirmed", "citizen", "{}");
        s.add_event(held, "rescheduled", "citizen", "{}");
        s.add_event(held, "rescheduled", "citizen", "{}");
        s.add_event(held, "moved_to_phone", "account:1", "{}");
        s.set_outcome(
            {held, org.org.id, "partially", "claim", "housing", "autonomous", "account:1", t});
        s.insert_survey(org.org.id, held, 4, "Bien");
        auto b = make(t + 3600, "h2");
        b.status = store::AppointmentStatus::cancelled;
        b.cancel_reason = "Grève";
        cancelled = s.insert_appointment(b);
        s.add_event(cancelled, "cancelled", "account:1", R"({"reason":"Grève","by":"agency"})");
        auto c = make(t + 40 * 86400, "h3");  // neither booked nor starting in the window
        c.created_at = unit::kWednesday - 40 * 86400;
        outside = s.insert_appointment(c);
        other = s.insert_appointment(make(t + 7200, "h4"));
    });
    // The rooms' journals (the store writes the clock's time).
    auto event = [&](core::Id id, core::Instant when, const char* role, const char* kind,
                     const char* detail = "") {
        clock->set(when);
        db->write([&](store::Session& s) {
            s.add_room_event({0, id, org.org.id, 0, role, "p1", kind, detail});
        });
    };
    event(held, t - 180, "agent", "joined", R"({"browser":"chrome"})");
    event(held, t - 120, "citizen", "joined", R"({"browser":"firefox"})");
    event(held, t - 60, "citizen", "left");
    event(held, t - 30, "citizen", "joined", R"({"browser":"safari"})");
    event(held, t + 60, "agent", "admitted", R"({"participant":"p2"})");
    event(held, t + 70, "citizen", "connected", R"({"detail":"relay"})");
    event(held, t + 80, "agent", "connected", R"({"detail":"host"})");
    event(held, t + 100, "citizen", "connection_failed", R"({"detail":"ice"})");
    event(held, t + 101, "citizen", "ice_restart", R"({"detail":"failed"})");
    event(held, t + 102, "agent", "ice_restart", R"({"detail":"failed"})");
    event(held, t + 200, "citizen", "audio_fallback", R"({"detail":"firefox"})");
    event(held, t + 1000, "agent", "moved_to_phone");
    event(held, t + 1260, "agent", "ended");
    event(held, t + 1300, "citizen", "left");
    event(other, t + 10, "agent", "joined", R"({"browser":"edge"})");
    event(other, t + 20, "agent", "connected", R"({"detail":"srflx"})");
    event(other, t + 400, "agent", "left");
    event(other, t + 500, "agent", "left");
    std::vector<StatsAppointment> got;
    db->read([&](store::Session& s) {
        s.stats_appointments(org.org.id, unit::kWednesday - 3600, unit::kWednesday + 7 * 86400,
                             true, [&](const StatsAppointment& a) { got.push_back(a); });
    });
    std::vector<core::Id> ids;
    for (auto& a : got) ids.push_back(a.id);
    EXPECT_EQ(std::count(ids.begin(), ids.end(), outside), 0);
    auto find = [&](core::Id id) {
        return *std::find_if(got.begin(), got.end(), [&](auto& a) { return a.id == id; });
    };
    auto h = find(held);
    EXPECT_TRUE(h.confirmed);
    EXPECT_TRUE(h.moved_to_phone);
    EXPECT_EQ(h.reschedules, 2);
    EXPECT_EQ(h.origin, "agent");
    EXPECT_EQ(h.language, "nl");
    EXPECT_EQ(h.resolved, "partially");
    EXPECT_EQ(h.request_type, "claim");
    EXPECT_EQ(h.theme, "housing");
    EXPECT_EQ(h.autonomy, "autonomous");
    EXPECT_EQ(h.rating, 4);
    EXPECT_EQ(h.comment, "Bien");
    EXPECT_EQ(h.email, "zoe@example.org");
    // Its room's journal, as the hub writes it.
    EXPECT_TRUE(h.room_joined);
    EXPECT_EQ(h.citizen_joined_at, t - 120);
    EXPECT_EQ(h.admitted_at, t + 60);
    EXPECT_EQ(h.call_ended_at, t + 1260);  // the first 'ended', not the later 'left'
    EXPECT_EQ(h.ice_restarts, 2);
    EXPECT_EQ(h.connection_failures, 1);
    EXPECT_TRUE(h.audio_fallback);
    EXPECT_TRUE(h.room_to_phone);
    EXPECT_TRUE(h.connected);
    EXPECT_TRUE(h.relayed);
    EXPECT_EQ(h.browser, "firefox");
    auto c = find(cancelled);
    EXPECT_FALSE(c.room_joined);
    EXPECT_FALSE(c.admitted_at);
    EXPECT_FALSE(c.connected);
    EXPECT_EQ(c.browser, "");
    // Without 'ended', the last 'left' ends the call.
    auto o = find(other);
    EXPECT_TRUE(o.room_joined);
    EXPECT_EQ(o.call_ended_at, t + 500);
    EXPECT_TRUE(o.connected);
    EXPECT_FALSE(o.relayed);
    EXPECT_FALSE(o.citizen_joined_at);  // only the agent came
    EXPECT_EQ(o.browser, "");
    EXPECT_EQ(c.cancelled_by, "agency");
    EXPECT_EQ(c.cancel_reason, "Grève");
    EXPECT_FALSE(c.confirmed);
    EXPECT_FALSE(c.rating);
    EXPECT_EQ(c.reschedules, 0);
}

}  // namespace

namespace {

// The statement reads each family once for all the chosen appointments (docs/PERFORMANCE.md
// "Statistics"): what one appointment's events say must not leak into another's, the last
// 'cancelled' event gives who cancelled, rows come in start order, and a write made after a
// first read counts in the next (figures are live).
TEST_F(StatsStore, EachAppointmentItsOwnHistoryInStartOrderAndLive) {
    const auto& site = org.sites[0];
    const auto& motif = org.motifs[0];
    core::Id agent = 0;
    db->read([&](store::Session& s) { agent = s.agents(org.org.id).front().id; });
    const core::Instant t = unit::kWednesday + 86400;
    auto make = [&](core::Instant start, const std::string& hash) {
        store::Appointment a;
        a.organisation_id = org.org.id;
        a.motif_id = motif.id;
        a.site_id = site.id;
        a.agent_id = agent;
        a.channel = core::Channel::video;
        a.starts_at = start;
        a.ends_at = start + 1800;
        a.citizen = {"Zoé", "Martin", "zoe@example.org", "+33612345678", "fr", "", ""};
        a.terms_version = org.terms->version;
        a.token_hash = hash;
        a.token_expires_at = start + 86400;
        a.created_at = unit::kWednesday;
        a.updated_at = unit::kWednesday;
        return a;
    };
    // Inserted latest first: the ids run against the start order.
    core::Id late = 0, early = 0, bare = 0;
    db->write([&](store::Session& s) {
        auto a = make(t + 7200, "l1");
        a.status = store::AppointmentStatus::cancelled;
        late = s.insert_appointment(a);
        s.add_event(late, "cancelled", "account:1", R"({"by":"agency"})");
        s.add_event(late, "rescheduled", "citizen", "{}");
        s.add_event(late, "cancelled", "citizen", R"({"by":"citizen"})");
        early = s.insert_appointment(make(t, "e1"));
        s.add_event(early, "rescheduled", "citizen", "{}");
        bare = s.insert_appointment(make(t + 3600, "b1"));
    });
    auto event = [&](core::Id id, core::Instant when, const char* role, const char* kind,
                     const char* detail = "") {
        clock->set(when);
        db->write([&](store::Session& s) {
            s.add_room_event({0, id, org.org.id, 0, role, "p1", kind, detail});
        });
    };
    event(early, t - 60, "citizen", "joined", R"({"browser":"edge"})");
    event(late, t + 7000, "citizen", "joined", R"({"browser":"safari"})");
    event(early, t - 30, "citizen", "joined", R"({"browser":"chrome"})");
    event(late, t + 7300, "agent", "admitted");
    auto read = [&] {
        std::vector<StatsAppointment> got;
        db->read([&](store::Session& s) {
            s.stats_appointments(org.org.id, unit::kWednesday - 3600, unit::kWednesday + 7 * 86400,
                                 true, [&](const StatsAppointment& a) { got.push_back(a); });
        });
        return got;
    };
    auto got = read();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].id, early);
    EXPECT_EQ(got[1].id, bare);
    EXPECT_EQ(got[2].id, late);
    EXPECT_EQ(got[0].reschedules, 1);
    EXPECT_EQ(got[0].browser, "edge");
    EXPECT_EQ(got[0].citizen_joined_at, t - 60);
    EXPECT_FALSE(got[0].admitted_at);
    EXPECT_EQ(got[0].cancelled_by, "");
    EXPECT_FALSE(got[1].room_joined);
    EXPECT_EQ(got[1].reschedules, 0);
    EXPECT_EQ(got[1].browser, "");
    EXPECT_EQ(got[2].cancelled_by, "citizen");  // the last 'cancelled' event
    EXPECT_EQ(got[2].reschedules, 1);
    EXPECT_EQ(got[2].browser, "safari");
    EXPECT_EQ(got[2].admitted_at, t + 7300);
    // Written after the first read: the next read counts it.
    db->write([&](store::Session& s) {
        s.add_event(bare, "presence_confirmed", "citizen", "{}");
        s.set_outcome({bare, org.org.id, "yes", "claim", "family", "autonomous", "account:1", t});
        s.insert_survey(org.org.id, bare, 5, "");
    });
    event(bare, t + 3500, "citizen", "joined", R"({"browser":"firefox"})");
    event(bare, t + 3600, "citizen", "connected", R"({"detail":"relay"})");
    got = read();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_TRUE(got[1].confirmed);
    EXPECT_EQ(got[1].resolved, "yes");
    EXPECT_EQ(got[1].rating, 5);
    EXPECT_TRUE(got[1].room_joined);
    EXPECT_TRUE(got[1].relayed);
    EXPECT_EQ(got[1].browser, "firefox");
    EXPECT_FALSE(got[0].confirmed);
    EXPECT_FALSE(got[2].relayed);
}

}  // namespace
