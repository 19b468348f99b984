// The public figures page (issue 14, docs/STATISTICS.md "The public figures page"): the
// figures chosen, the weekly processing delays' checks, the last complete month, the month's
// figures on a hand-made data set, and the service on a real SQLite file (journal, nothing
// written when refused, history, the page's view and its cache).
#include <gtest/gtest.h>

#include "app/published_figures.hpp"
#include "core/timefmt.hpp"
#include "demo_fixture.hpp"

using namespace vg;
using store::AppointmentStatus;

namespace {

core::LocalDay day(const char* ymd) {
    return *core::parse_ymd(ymd);
}
core::Instant at(const char* iso) {
    return *core::parse_iso8601(iso);
}

// Wednesday 25 November 2026: this week starts on Monday the 23rd, the next on the 30th.
const core::LocalDay kToday = day("2026-11-25");

app::Fields good_delays() {
    return {{"week", "2026-11-23"},
            {"label_fr_1", "les courriels"},
            {"label_en_1", "e-mails"},
            {"from_1", "2026-11-06"},
            {"to_1", "2026-11-11"},
            {"label_fr_2", "les demandes RSA et AAH"},
            {"from_2", "2026-11-13"},
            {"to_2", "2026-11-19"},
            {"label_fr_3", "les autres demandes"},
            {"from_3", "2026-09-08"},
            {"to_3", "2026-09-28"}};
}

}  // namespace

TEST(PublicFigures, ChoiceReadsEachFlag) {
    auto c = app::read_figure_choice({{"held", "1"}, {"satisfaction", "on"}, {"delays", "0"}});
    EXPECT_TRUE(c.held);
    EXPECT_FALSE(c.video_share);
    EXPECT_FALSE(c.median_delay);
    EXPECT_TRUE(c.satisfaction);
    EXPECT_FALSE(c.delays);
    EXPECT_TRUE(c.any_figure());
    EXPECT_FALSE(app::read_figure_choice({{"delays", "1"}}).any_figure());
}

TEST(PublicFigures, DelaysAcceptedInOrder) {
    auto f = app::read_delays(good_delays(), kToday);
    ASSERT_TRUE(f.errors.empty()) << f.errors.begin()->first;
    EXPECT_EQ(f.week, day("2026-11-23"));
    ASSERT_EQ(f.lines.size(), 3u);
    EXPECT_EQ(f.lines[0].label.pick("en"), "e-mails");
    EXPECT_EQ(f.lines[1].label.pick("de"), "les demandes RSA et AAH");  // falls back to French
    EXPECT_EQ(f.lines[2].from, day("2026-09-08"));
    EXPECT_EQ(f.lines[2].to, day("2026-09-28"));
    // Next week too; a line left wholly empty is skipped; one day is a range.
    auto next = good_delays();
    next["week"] = "2026-11-30";
    next["label_fr_2"] = next["from_2"] = next["to_2"] = "";
    next["from_3"] = next["to_3"] = "2026-12-06";  // the Sunday of that week
    auto g = app::read_delays(next, kToday);
    ASSERT_TRUE(g.errors.empty()) << g.errors.begin()->first;
    EXPECT_EQ(g.lines.size(), 2u);
}

TEST(PublicFigures, DelaysRefusals) {
    auto refused = [](app::Fields f) { return app::read_delays(f, kToday).errors; };
    auto f = good_delays();
    f["from_1"] = "2026-11-12";  // after its "to"
    EXPECT_EQ(refused(f), (core::FieldErrors{{"from_1", "public_figures.error_order"}}));
    f = good_delays();
    f["to_2"] = "2026-11-30";  // the Monday after the week
    EXPECT_EQ(refused(f), (core::FieldErrors{{"to_2", "public_figures.error_future"}}));
    f = good_delays();
    f["from_3"] = "2025-11-21";  // more than 366 days before the Monday
    EXPECT_EQ(refused(f), (core::FieldErrors{{"from_3", "public_figures.error_too_old"}}));
    f = good_delays();
    f["to_1"] = "2026-02-30";
    EXPECT_EQ(refused(f), (core::FieldErrors{{"to_1", "public_figures.error_date"}}));
    f = good_delays();
    f["to_1"] = "";
    EXPECT_EQ(refused(f), (core::FieldErrors{{"to_1", "admin.error_required"}}));
    f = good_delays();
    f["label_fr_2"] = "";  // dates without a label
    EXPECT_EQ(refused(f), (core::FieldErrors{{"label_fr_2", "admin.error_required"}}));
    f = good_delays();
    f["label_nl_1"] = std::string(app::kMaxDelayLabel + 1, 'x');
    EXPECT_EQ(refused(f), (core::FieldErrors{{"label_nl_1", "admin.error_too_long"}}));
    f = good_delays();
    f["label_fr_1"] = "les courriels\x01";
    EXPECT_EQ(refused(f), (core::FieldErrors{{"label_fr_1", "admin.error_invalid"}}));
    // Weeks: a past week, the week after next, a day that is not a Monday, no week.
    for (auto week : {"2026-11-16", "2026-12-07", "2026-11-24", ""}) {
        f = good_delays();
        f["week"] = week;
        EXPECT_EQ(refused(f), (core::FieldErrors{{"week", "public_figures.error_week"}})) << week;
    }
    EXPECT_EQ(refused({{"week", "2026-11-23"}}),
              (core::FieldErrors{{"label_fr_1", "public_figures.error_no_line"}}));
}

TEST(PublicFigures, LastCompleteMonth) {
    auto m = app::last_complete_month(day("2026-11-25"));
    EXPECT_EQ(m.first, day("2026-10-01"));
    EXPECT_EQ(m.last, day("2026-10-31"));
    m = app::last_complete_month(day("2027-01-01"));
    EXPECT_EQ(m.first, day("2026-12-01"));
    EXPECT_EQ(m.last, day("2026-12-31"));
    m = app::last_complete_month(day("2028-03-31"));
    EXPECT_EQ(m.first, day("2028-02-01"));
    EXPECT_EQ(m.last, day("2028-02-29"));
}

// October 2026 in Paris (summer time until Sunday the 25th) and in Réunion (UTC+4).
TEST(PublicFigures, MonthFiguresByHand) {
    stats::Zones zones;
    zones.organisation = core::zone_or_default("Europe/Paris");
    zones.sites[1] = core::zone_or_default("Europe/Paris");
    zones.sites[2] = core::zone_or_default("Indian/Reunion");
    auto row = [](core::Id id, core::Id site, core::Channel ch, const char* created,
                  const char* starts, AppointmentStatus st, std::optional<int> rating) {
        store::StatsAppointment a;
        a.id = id;
        a.site_id = site;
        a.channel = ch;
        a.created_at = at(created);
        a.starts_at = at(starts);
        a.ends_at = a.starts_at + 1800;
        a.status = st;
        a.rating = rating;
        return a;
    };
    using C = core::Channel;
    using S = AppointmentStatus;
    std::vector<store::StatsAppointment> rows{
        // Held by video, booked 2 days before, rated 5.
        row(1, 1, C::video, "2026-10-08T10:00:00+02:00", "2026-10-10T10:00:00+02:00", S::honoured,
            5),
        // Held on site, booked 4 days before, rated 4.
        row(2, 1, C::on_site, "2026-10-08T10:00:00+02:00", "2026-10-12T10:00:00+02:00", S::honoured,
            4),
        // Held by video in Réunion, 10 days, rated 2.
        row(3, 2, C::video, "2026-10-04T09:00:00+04:00", "2026-10-14T09:00:00+04:00", S::honoured,
            2),
        // A no-show by phone, 1 day.
        row(4, 1, C::phone, "2026-10-19T10:00:00+02:00", "2026-10-20T10:00:00+02:00", S::no_show,
            std::nullopt),
        // Cancelled by video, 6 days, across the end of summer time (25 October).
        row(5, 1, C::video, "2026-10-22T10:00:00+02:00", "2026-10-28T10:00:00+01:00", S::cancelled,
            std::nullopt),
        // Held by video on 1 November 00:30 in Paris: not October (in UTC it is 31 October).
        row(6, 1, C::video, "2026-10-30T10:00:00+01:00", "2026-11-01T00:30:00+01:00", S::honoured,
            1),
        // Held on site on 31 October 23:30 in Paris, booked in September: held, not booked.
        row(7, 1, C::on_site, "2026-09-30T10:00:00+02:00", "2026-10-31T23:30:00+01:00", S::honoured,
            std::nullopt),
    };
    auto m = app::month_figures(rows, {day("2026-10-01"), day("2026-10-31")}, zones);
    // Held: 1, 2, 3, 7 (6 is November's).
    EXPECT_EQ(m.held, 4);
    // By video: 1 and 3 -> 2 / 4.
    EXPECT_EQ(m.held_by_video, 2);
    EXPECT_DOUBLE_EQ(*m.video_share, 0.5);
    // Booked in October: 1 (2 d), 2 (4 d), 3 (10 d), 4 (1 d), 5 (6 d + 1 h: the clocks went
    // back), 6 (1 d 14.5 h): sorted 1, 1.6, 2, 4, 6.04, 10 -> the 3rd of 6 is 2 days.
    EXPECT_EQ(m.bookings, 6);
    EXPECT_DOUBLE_EQ(*m.median_delay_days, 2.0);
    // Answers of the appointments scheduled in October: 5, 4, 2 -> 11 / 3; 2 of 3 rated 4-5.
    EXPECT_EQ(m.answers, 3);
    EXPECT_DOUBLE_EQ(*m.average_rating, 11.0 / 3);
    EXPECT_DOUBLE_EQ(*m.csat_share, 2.0 / 3);
    // An empty month: no share, no median, no satisfaction.
    auto none = app::month_figures({}, {day("2026-10-01"), day("2026-10-31")}, zones);
    EXPECT_EQ(none.held, 0);
    EXPECT_FALSE(none.video_share);
    EXPECT_FALSE(none.median_delay_days);
    EXPECT_FALSE(none.average_rating);
}

class PublishedFiguresService : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        figures = std::make_unique<app::PublishedFigures>(*service);
    }
    void TearDown() override {
        figures.reset();
        DemoFixture::TearDown();
    }
    std::vector<store::ConfigChange> journal(const std::string& type) {
        std::vector<store::ConfigChange> out;
        store::ChangeFilter f;
        f.object_type = type;
        db->read([&](store::Session& s) { out = s.changes(org.org.id, f); });
        return out;
    }
    std::unique_ptr<app::PublishedFigures> figures;
};

TEST_F(PublishedFiguresService, ChoiceIsSavedAndJournalled) {
    EXPECT_FALSE(figures->view(org).published());
    auto r = figures->save_choice(org.org.id, {{"held", "1"}, {"delays", "1"}}, "account:7");
    ASSERT_TRUE(r.ok());
    auto c = figures->choice(org.org.id);
    EXPECT_TRUE(c.held && c.delays);
    EXPECT_FALSE(c.video_share || c.median_delay || c.satisfaction);
    auto j = journal("published_figures");
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0].action, "create");
    EXPECT_EQ(j[0].actor, "account:7");
    EXPECT_NE(j[0].after.find("\"held\":true"), std::string::npos);
    ASSERT_TRUE(figures->save_choice(org.org.id, {}, "account:7").ok());
    EXPECT_EQ(journal("published_figures").front().action, "update");
    EXPECT_FALSE(figures->save_choice(999999, {}, "account:7").ok());
}

TEST_F(PublishedFiguresService, RefusedDelaysWriteNothing) {
    auto f = good_delays();
    f["to_2"] = "2026-12-01";
    auto r = figures->save_delays(org.org.id, f, "account:7");
    EXPECT_EQ(r.errors, (core::FieldErrors{{"to_2", "public_figures.error_future"}}));
    EXPECT_TRUE(figures->history(org.org.id).empty());
    EXPECT_TRUE(journal("processing_delays").empty());
}

TEST_F(PublishedFiguresService, WeeksKeepTheirHistoryAndShowOnceBegun) {
    ASSERT_TRUE(figures->save_choice(org.org.id, {{"delays", "1"}}, "account:7").ok());
    ASSERT_TRUE(figures->save_delays(org.org.id, good_delays(), "account:7").ok());
    auto next = good_delays();
    next["week"] = "2026-11-30";
    next["to_1"] = "2026-11-18";
    ASSERT_TRUE(figures->save_delays(org.org.id, next, "account:7").ok());
    // Written again: the week's lines are replaced, the journal keeps before and after.
    auto again = good_delays();
    again["label_fr_3"] = again["from_3"] = again["to_3"] = "";
    ASSERT_TRUE(figures->save_delays(org.org.id, again, "account:8").ok());
    auto h = figures->history(org.org.id);
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].week, day("2026-11-30"));
    EXPECT_EQ(h[0].lines.size(), 3u);
    EXPECT_EQ(h[1].week, day("2026-11-23"));
    EXPECT_EQ(h[1].lines.size(), 2u);
    EXPECT_EQ(h[1].created_by, "account:8");
    auto j = journal("processing_delays");
    ASSERT_EQ(j.size(), 3u);
    EXPECT_EQ(j[0].action, "update");
    EXPECT_NE(j[0].before.find("les autres demandes"), std::string::npos);
    EXPECT_EQ(j[0].after.find("les autres demandes"), std::string::npos);
    // The page shows this week's delays until next week begins.
    auto v = figures->view(org);
    ASSERT_TRUE(v.delays);
    EXPECT_EQ(v.delays->week, day("2026-11-23"));
    EXPECT_FALSE(v.month);      // no figure chosen
    clock->advance(5 * 86400);  // Monday 30 November
    v = figures->view(org);
    ASSERT_TRUE(v.delays);
    EXPECT_EQ(v.delays->week, day("2026-11-30"));
    // Delays not chosen: not shown.
    ASSERT_TRUE(figures->save_choice(org.org.id, {{"held", "1"}}, "account:7").ok());
    EXPECT_FALSE(figures->view(org).delays);
}

TEST_F(PublishedFiguresService, MonthIsComputedOnceAnHour) {
    ASSERT_TRUE(figures->save_choice(org.org.id, {{"held", "1"}}, "account:7").ok());
    core::Id agent = 0;
    db->read([&](store::Session& s) { agent = s.agents(org.org.id).front().id; });
    // Two appointments held in October (the last complete month on 25 November).
    add_appointment(agent, at("2026-10-06T10:00:00+02:00"), 30, AppointmentStatus::honoured);
    add_appointment(agent, at("2026-10-07T10:00:00+02:00"), 30, AppointmentStatus::honoured);
    auto v = figures->view(org);
    ASSERT_TRUE(v.month);
    EXPECT_EQ(v.month->period.first, day("2026-10-01"));
    EXPECT_EQ(v.month->held, 2);
    add_appointment(agent, at("2026-10-08T10:00:00+02:00"), 30, AppointmentStatus::honoured);
    EXPECT_EQ(figures->view(org).month->held, 2);  // from the cache
    clock->advance(app::PublishedFigures::kCacheSeconds);
    EXPECT_EQ(figures->view(org).month->held, 3);
}
