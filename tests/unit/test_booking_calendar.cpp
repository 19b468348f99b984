// Booking rules on the dates where calendars bend: daylight-saving changes (last Sunday of
// March and October), 29 February, New Year and public holidays, in Paris, Réunion and
// Brussels. The service runs on a core::ManualClock pinned to each date, so these edges are
// met on every run, not only on the days the suite happens to run.
#include <date/tz.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "app/booking_service.hpp"
#include "app/org_import.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/timefmt.hpp"
#include "store/sqlite.hpp"

using namespace vg;
namespace fs = std::filesystem;

namespace {

struct Place {
    const char* slug;
    const char* zone;
    const char* region;
};
const Place kParis{"paris", "Europe/Paris", "fr_metropole"};
const Place kReunion{"reunion", "Indian/Reunion", "fr_reunion"};
const Place kBrussels{"bruxelles", "Europe/Brussels", "be"};

// One agency open every day 09:00-12:00 local time, one-hour appointments, booked at least
// two hours ahead and at most 30 days ahead.
std::string organisation_json(const Place& p) {
    return std::string(R"({"slug": ")") + p.slug + R"(", "name": "Agence", "time_zone": ")" +
           p.zone + R"(", "holiday_region": ")" + p.region + R"(",
  "sender_email": "rdv@example.org",
  "terms": {"text": {"fr": "Conditions."}, "conduct_rules": {"fr": "Règles."}},
  "sites": [{"key": "main", "name": "Agence", "address": "1 rue de la Paix",
             "postal_code": "00000", "city": "Ville"}],
  "motifs": [{"key": "m", "name": {"fr": "Motif"}, "duration_minutes": 60,
              "min_lead_minutes": 120, "horizon_days": 30,
              "channels": ["video", "on_site", "phone"]}],
  "agents": [{"name": "Agent", "email": "agent@example.org",
              "plans": [{"site": "main", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                         "from": "09:00", "to": "12:00", "valid_from": "2026-01-01"}]}]})";
}

class CalendarTest : public ::testing::Test {
  protected:
    void SetUp() override {
        app::init_crypto();
        dir = fs::temp_directory_path() /
              ("vg-calendar-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
        db = store::open_sqlite_store({(dir / "t.db").string(), false, 10000, &clock});
        db->migrate();
        for (auto* p : {&kParis, &kReunion, &kBrussels})
            app::import_organisation(*db, organisation_json(*p));
        service =
            std::make_unique<app::BookingService>(*db, app::BookingSettings{}, nullptr, clock);
    }
    void TearDown() override {
        service.reset();
        db.reset();
        fs::remove_all(dir);
    }

    static const date::time_zone* zone(const Place& p) { return date::locate_zone(p.zone); }
    static core::LocalDay day(int y, unsigned m, unsigned d) {
        return core::LocalDay(date::local_days{date::year{y} / date::month{m} / date::day{d}}
                                  .time_since_epoch()
                                  .count());
    }
    // A local time of the place as an instant.
    static core::Instant local(const Place& p, int y, unsigned m, unsigned d, int h, int mi = 0) {
        auto lt = date::local_days{date::year{y} / date::month{m} / date::day{d}} +
                  std::chrono::hours(h) + std::chrono::minutes(mi);
        return date::make_zoned(zone(p), lt).get_sys_time().time_since_epoch().count();
    }
    static core::Instant utc(int y, unsigned m, unsigned d, int h, int mi = 0) {
        return date::sys_seconds{date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                                 std::chrono::hours(h) + std::chrono::minutes(mi)}
            .time_since_epoch()
            .count();
    }
    static std::string show(const Place& p, core::Instant t) {
        return date::format("%F %R",
                            date::make_zoned(zone(p), date::sys_seconds{std::chrono::seconds(t)}));
    }

    app::OrgData org(const Place& p) { return *service->organisation(p.slug); }
    app::SlotQuery query(const app::OrgData& o, core::LocalDay from, core::LocalDay to) {
        return {o.motifs.at(0).id, core::Channel::on_site, o.sites.at(0).id, from, to};
    }
    // Free starts between two local days, as "YYYY-MM-DD HH:MM" local time.
    std::vector<std::string> starts(const Place& p, core::LocalDay from, core::LocalDay to) {
        auto o = org(p);
        std::vector<std::string> out;
        for (auto& s : service->slots(o, query(o, from, to))) out.push_back(show(p, s.start));
        return out;
    }
    app::BookResult book(const Place& p, core::Instant start) {
        auto o = org(p);
        app::BookRequest r;
        r.motif_id = o.motifs.at(0).id;
        r.channel = core::Channel::on_site;
        r.site_id = o.sites.at(0).id;
        r.start = start;
        r.citizen = {"Zoé", "Martin", "zoe@example.fr", "", "fr", "", ""};
        r.accept_terms = true;
        r.terms_version = o.terms->version;
        return service->book(o, r);
    }

    using Starts = std::vector<std::string>;
    fs::path dir;
    std::unique_ptr<store::Store> db;
    core::ManualClock clock{0};
    std::unique_ptr<app::BookingService> service;
};

}  // namespace

// Sunday 28 March 2027: clocks go from 02:00 to 03:00 in Paris and Brussels. Opening hours
// stay 09:00-12:00 local, so the instants move one hour earlier; Easter Monday (29) is a
// holiday in both countries.
TEST_F(CalendarTest, SpringForwardKeepsLocalOpeningHours) {
    for (auto* p : {&kParis, &kBrussels}) {
        clock.set(local(*p, 2027, 3, 26, 12));
        EXPECT_EQ(starts(*p, day(2027, 3, 27), day(2027, 3, 30)),
                  (Starts{"2027-03-27 09:00", "2027-03-27 10:00", "2027-03-27 11:00",
                          "2027-03-28 09:00", "2027-03-28 10:00", "2027-03-28 11:00",
                          "2027-03-30 09:00", "2027-03-30 10:00", "2027-03-30 11:00"}))
            << p->slug;
        auto before = book(*p, utc(2027, 3, 27, 8));  // 09:00 CET
        ASSERT_EQ(before.outcome, app::Outcome::ok) << p->slug;
        auto after = book(*p, utc(2027, 3, 28, 7));  // 09:00 CEST
        ASSERT_EQ(after.outcome, app::Outcome::ok) << p->slug;
        EXPECT_EQ(after.appointment.ends_at - after.appointment.starts_at, 3600);
        // 06:00 UTC is 08:00 CEST on the 28th: before opening.
        EXPECT_EQ(book(*p, utc(2027, 3, 28, 6)).outcome, app::Outcome::conflict) << p->slug;
        // The first free slot from Saturday noon is Sunday 09:00 summer time.
        clock.set(local(*p, 2027, 3, 27, 12));
        auto o = org(*p);
        auto first = service->first_slot(o, query(o, day(2027, 3, 27), day(2027, 3, 27)));
        ASSERT_TRUE(first) << p->slug;
        EXPECT_EQ(first->start, utc(2027, 3, 28, 8)) << p->slug;  // 09:00 was booked: 10:00
    }
}

// Sunday 31 October 2027: 03:00 goes back to 02:00. 1 November is All Saints' Day in France
// and Belgium. Reunion has no daylight saving: its instants do not move.
TEST_F(CalendarTest, FallBackKeepsLocalOpeningHoursAndRescheduleFollows) {
    for (auto* p : {&kParis, &kBrussels}) {
        clock.set(local(*p, 2027, 10, 29, 12));
        EXPECT_EQ(starts(*p, day(2027, 10, 31), day(2027, 11, 2)),
                  (Starts{"2027-10-31 09:00", "2027-10-31 10:00", "2027-10-31 11:00",
                          "2027-11-02 09:00", "2027-11-02 10:00", "2027-11-02 11:00"}))
            << p->slug;
        auto r = book(*p, utc(2027, 10, 30, 7));  // Saturday 09:00 CEST
        ASSERT_EQ(r.outcome, app::Outcome::ok) << p->slug;
        // Moved to Sunday 10:00 CET = 09:00 UTC: same instant of the day in UTC, one hour
        // later on the clock face.
        auto moved = service->reschedule(r.token, utc(2027, 10, 31, 9), std::nullopt);
        ASSERT_EQ(moved.outcome, app::Outcome::ok) << p->slug;
        EXPECT_EQ(show(*p, moved.appointment.starts_at), "2027-10-31 10:00");
        // Not to the holiday; the alternatives start the next working morning.
        auto refused = service->reschedule(r.token, utc(2027, 11, 1, 8), std::nullopt);
        ASSERT_EQ(refused.outcome, app::Outcome::conflict) << p->slug;
        ASSERT_FALSE(refused.alternatives.empty());
        EXPECT_EQ(show(*p, refused.alternatives.front().start), "2027-11-02 09:00");
        // Lead time across the change: at 07:30 CET (06:30 UTC) the first start allowed is
        // 09:30 CET, so 09:00 is refused and 10:00 is the first slot.
        clock.set(utc(2027, 10, 31, 6, 30));
        EXPECT_EQ(book(*p, utc(2027, 10, 31, 8)).outcome, app::Outcome::conflict);
        auto o = org(*p);
        auto first = service->first_slot(o, query(o, day(2027, 10, 31), day(2027, 10, 31)));
        ASSERT_TRUE(first);
        EXPECT_EQ(show(*p, first->start), "2027-10-31 11:00");  // 10:00 is the moved one
    }
    clock.set(local(kReunion, 2027, 10, 29, 12));
    auto o = org(kReunion);
    auto slots = service->slots(o, query(o, day(2027, 10, 30), day(2027, 11, 1)));
    ASSERT_EQ(slots.size(), 6u);                      // All Saints' Day is a holiday in Reunion too
    EXPECT_EQ(slots[0].start, utc(2027, 10, 30, 5));  // UTC+4 all year
    EXPECT_EQ(slots[3].start, utc(2027, 10, 31, 5));
}

// 2028 is a leap year. From Sunday 30 January 10:00 the 30-day horizon ends on Tuesday
// 29 February 10:00 local time: 09:00 and 10:00 are offered that day, nothing after.
TEST_F(CalendarTest, LeapDayAndHorizon) {
    for (auto* p : {&kParis, &kReunion, &kBrussels}) {
        clock.set(local(*p, 2028, 1, 30, 10));
        EXPECT_EQ(starts(*p, day(2028, 2, 28), day(2028, 3, 1)),
                  (Starts{"2028-02-28 09:00", "2028-02-28 10:00", "2028-02-28 11:00",
                          "2028-02-29 09:00", "2028-02-29 10:00"}))
            << p->slug;
        EXPECT_EQ(book(*p, local(*p, 2028, 2, 29, 11)).outcome, app::Outcome::conflict);
        EXPECT_EQ(book(*p, local(*p, 2028, 3, 1, 9)).outcome, app::Outcome::conflict);
        auto r = book(*p, local(*p, 2028, 2, 29, 10));
        ASSERT_EQ(r.outcome, app::Outcome::ok) << p->slug;
        EXPECT_EQ(show(*p, r.appointment.starts_at), "2028-02-29 10:00");
        // A month later the horizon has moved on: 29 February is an ordinary day.
        clock.set(local(*p, 2028, 2, 28, 12));
        EXPECT_EQ(starts(*p, day(2028, 2, 29), day(2028, 3, 1)),
                  (Starts{"2028-02-29 09:00", "2028-02-29 11:00", "2028-03-01 09:00",
                          "2028-03-01 10:00", "2028-03-01 11:00"}))
            << p->slug;
    }
}

// New Year's Eve 2026 after 10:00: the lead time leaves nothing that day, 1 January is a
// holiday everywhere, the first slot is Saturday 2 January 09:00, in the new year.
TEST_F(CalendarTest, NewYear) {
    for (auto* p : {&kParis, &kReunion, &kBrussels}) {
        clock.set(local(*p, 2026, 12, 31, 10));
        auto o = org(*p);
        auto first = service->first_slot(o, query(o, day(2026, 12, 31), day(2026, 12, 31)));
        ASSERT_TRUE(first) << p->slug;
        EXPECT_EQ(show(*p, first->start), "2027-01-02 09:00");
        EXPECT_EQ(starts(*p, day(2026, 12, 31), day(2027, 1, 1)), Starts{}) << p->slug;
        EXPECT_EQ(book(*p, local(*p, 2027, 1, 1, 9)).outcome, app::Outcome::conflict);
        EXPECT_EQ(book(*p, first->start).outcome, app::Outcome::ok);
    }
}

// Each region's own holidays close the agency that day only, and only there.
TEST_F(CalendarTest, PublicHolidaysOfEachRegion) {
    struct Case {
        const Place* place;
        int y;
        unsigned m, d;
        bool holiday;
    };
    const Case cases[] = {
        {&kParis, 2027, 7, 14, true},     // Bastille Day
        {&kParis, 2027, 3, 29, true},     // Easter Monday
        {&kParis, 2028, 5, 1, true},      // Labour Day
        {&kParis, 2027, 8, 15, true},     // Assumption (a Sunday)
        {&kParis, 2027, 7, 21, false},    // Belgian only
        {&kParis, 2027, 12, 20, false},   // Reunion only
        {&kBrussels, 2027, 7, 21, true},  // Belgian National Day
        {&kBrussels, 2027, 3, 29, true},  // Easter Monday
        {&kBrussels, 2027, 7, 14, false},
        {&kReunion, 2027, 12, 20, true},  // abolition of slavery in Reunion
        {&kReunion, 2027, 7, 14, true},
        {&kReunion, 2027, 7, 21, false},
    };
    for (auto& c : cases) {
        const Place& p = *c.place;
        auto d = day(c.y, c.m, c.d);
        clock.set(local(p, c.y, c.m, c.d, 10) - 10 * 86400);
        auto list = starts(p, d - 1, d + 1);
        std::set<std::string> days;
        for (auto& s : list) days.insert(s.substr(0, 10));
        auto iso = core::format_ymd(d);
        EXPECT_EQ(days.count(iso), c.holiday ? 0u : 1u) << p.slug << " " << iso;
        EXPECT_EQ(days.size(), c.holiday ? 2u : 3u) << p.slug << " " << iso;
        EXPECT_EQ(book(p, local(p, c.y, c.m, c.d, 9)).outcome,
                  c.holiday ? app::Outcome::conflict : app::Outcome::ok)
            << p.slug << " " << iso;
    }
}

// A phone appointment needs a number the advisor can call, read in the numbering plan of
// where the citizen lives (the site's region, else the organisation's).
TEST_F(CalendarTest, PhoneAppointmentNeedsAValidNumberOfItsRegion) {
    clock.set(local(kReunion, 2027, 6, 1, 10));
    auto phone_booking = [&](const Place& p, const std::string& email, const std::string& phone) {
        auto o = org(p);
        app::BookRequest r;
        r.motif_id = o.motifs.at(0).id;
        r.channel = core::Channel::phone;
        r.start = local(p, 2027, 6, 3, 9);
        r.citizen = {"Zoé", "Payet", email, phone, "fr", "", ""};
        r.accept_terms = true;
        r.terms_version = o.terms->version;
        return service->book(o, r);
    };
    auto none = phone_booking(kReunion, "zoe@example.fr", "");
    ASSERT_EQ(none.outcome, app::Outcome::invalid);
    EXPECT_EQ(none.errors["phone"], "error.phone_required");
    for (auto bad : {"06 12 34", "0690 12 34 5", "123456", "0692 12 34 56 78"}) {
        auto r = phone_booking(kReunion, "zoe@example.fr", bad);
        ASSERT_EQ(r.outcome, app::Outcome::invalid) << bad;
        EXPECT_EQ(r.errors["phone"], "error.invalid_phone") << bad;
    }
    // A Guadeloupe mobile is not a number of métropole's plan.
    EXPECT_EQ(phone_booking(kParis, "", "0690 12 34 56").errors["phone"], "error.invalid_phone");
    auto ok = phone_booking(kReunion, "", "0692 12 34 56");
    ASSERT_EQ(ok.outcome, app::Outcome::ok);
    EXPECT_EQ(ok.appointment.citizen.phone, "+262 692 12 34 56");
    auto brussels = phone_booking(kBrussels, "", "0470 12 34 56");
    ASSERT_EQ(brussels.outcome, app::Outcome::ok);
    EXPECT_EQ(brussels.appointment.citizen.phone, "+32 470 12 34 56");
}
