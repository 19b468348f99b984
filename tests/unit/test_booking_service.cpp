// The booking service on a real SQLite file with the demo organisation.
#include <date/tz.h>
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "app/booking_service.hpp"
#include "app/demo.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/timefmt.hpp"
#include "notify/ics.hpp"
#include "store/secrets.hpp"
#include "store/sqlite.hpp"

using namespace vg;
namespace fs = std::filesystem;

namespace {

// Wednesday 25 November 2026, 09:00 in Paris: every test sees the same calendar.
constexpr core::Instant kWednesday = 1795593600;

class BookingTest : public ::testing::Test {
  protected:
    void SetUp() override {
        app::init_crypto();
        dir = fs::temp_directory_path() /
              ("vg-unit-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
        now = kWednesday;
        clock = std::make_unique<core::ManualClock>(now);
        db = store::open_sqlite_store({(dir / "t.db").string(), false, 10000, clock.get()});
        db->migrate();
        ASSERT_TRUE(app::load_demo(*db, now));
        ASSERT_FALSE(app::load_demo(*db, now));  // idempotent
        service =
            std::make_unique<app::BookingService>(*db, app::BookingSettings{}, nullptr, *clock);
        org = *service->organisation("demo");
    }
    void TearDown() override {
        service.reset();
        db.reset();
        fs::remove_all(dir);
    }

    app::SlotQuery video_query(core::Id motif = 1) {
        auto today = core::local_day_of(now, org.default_zone());
        return {motif, core::Channel::video, std::nullopt, today, today + 20};
    }
    app::BookRequest request(core::Instant start, core::Id motif = 1) {
        app::BookRequest r;
        r.motif_id = motif;
        r.channel = core::Channel::video;
        r.start = start;
        r.citizen = {"Zoé", "Martin", "zoe@example.fr", "", "fr", "", ""};
        r.accept_terms = true;
        r.terms_version = org.terms->version;
        return r;
    }

    fs::path dir;
    std::unique_ptr<store::Store> db;
    std::unique_ptr<core::ManualClock> clock;
    std::unique_ptr<app::BookingService> service;
    app::OrgData org;
    core::Instant now = 0;
};

}  // namespace

TEST_F(BookingTest, DemoHasFreeVideoSlotsOnMostWeekdays) {
    auto slots = service->slots(org, video_query());
    ASSERT_FALSE(slots.empty());
    std::set<core::LocalDay> days;
    for (auto& s : slots) {
        days.insert(core::local_day_of(s.start, s.zone));
        EXPECT_FALSE(org.site(s.site_id)->is_partner);  // video from home: no partner site
        EXPECT_GE(s.start, now + 120 * 60);             // lead time of motif 1
    }
    EXPECT_GE(days.size(), 10u);  // 3 weeks of weekdays, minus holidays
}

TEST_F(BookingTest, BookViewRescheduleCancel) {
    auto slots = service->slots(org, video_query());
    ASSERT_GE(slots.size(), 3u);
    auto r = service->book(org, request(slots[0].start));
    ASSERT_EQ(r.outcome, app::Outcome::ok);
    EXPECT_TRUE(app::looks_like_token(r.token));
    EXPECT_NE(r.appointment.token_hash, r.token);

    auto view = service->find(r.token);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->appointment.starts_at, slots[0].start);
    EXPECT_EQ(view->appointment.terms_version, org.terms->version);
    EXPECT_FALSE(service->find("x" + r.token.substr(1)));

    // Move to a slot one day later.
    core::Instant target = 0;
    for (auto& s : slots)
        if (s.start >= slots[0].start + 86400) {
            target = s.start;
            break;
        }
    ASSERT_NE(target, 0);
    auto moved = service->reschedule(r.token, target, std::nullopt);
    ASSERT_EQ(moved.outcome, app::Outcome::ok);
    EXPECT_EQ(moved.appointment.starts_at, target);
    EXPECT_EQ(moved.appointment.sequence, 1);

    auto cancelled = service->cancel(r.token, "plus besoin");
    ASSERT_EQ(cancelled.outcome, app::Outcome::ok);
    EXPECT_EQ(service->cancel(r.token, "").outcome, app::Outcome::gone);
    EXPECT_EQ(service->find(r.token)->appointment.status, store::AppointmentStatus::cancelled);

    // Messages were written with the changes, each once; reminders of a cancelled
    // appointment are cancelled too.
    store::sqlite::Connection c((dir / "t.db").string(), 1000);
    auto s = c.prepare("SELECT COUNT(*), COUNT(DISTINCT idempotency_key) FROM outbox");
    s.step();
    EXPECT_EQ(s.i32(0), s.i32(1));
    auto kinds = c.prepare(
        "SELECT kind, COUNT(*) FROM outbox WHERE status <> 'cancelled' GROUP BY kind ORDER BY "
        "kind");
    std::map<std::string, int> count;
    while (kinds.step()) count[kinds.text(0)] = kinds.i32(1);
    EXPECT_EQ(count["confirmation"], 1);
    EXPECT_EQ(count["reschedule"], 1);
    EXPECT_EQ(count["cancellation"], 1);
    EXPECT_EQ(count["reminder"], 0);
    EXPECT_EQ(count["thank_you"], 0);
    EXPECT_GE(count["agent_booked"], 1);
}

TEST_F(BookingTest, RefusesInvalidTermsAndUnknownSlot) {
    auto slots = service->slots(org, video_query());
    auto req = request(slots[0].start);
    req.accept_terms = false;
    req.terms_version = 99;
    auto r = service->book(org, req);
    EXPECT_EQ(r.outcome, app::Outcome::invalid);
    EXPECT_EQ(r.errors["accept_terms"], "error.terms_not_accepted");
    EXPECT_EQ(r.errors["terms_version"], "error.terms_outdated");

    auto off_grid = service->book(org, request(slots[0].start + 60));
    EXPECT_EQ(off_grid.outcome, app::Outcome::conflict);
    EXPECT_FALSE(off_grid.alternatives.empty());
    auto past = service->book(org, request(now - 86400));
    EXPECT_EQ(past.outcome, app::Outcome::conflict);
}

TEST_F(BookingTest, ConcurrentBookingsNeverOverlap) {
    auto slots = service->slots(org, video_query());
    auto start = slots[0].start;
    // How many agents can take this exact slot, whatever their site.
    std::atomic<int> ok{0}, conflict{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 32; ++i)
        threads.emplace_back([&] {
            auto r = service->book(org, request(start));
            (r.outcome == app::Outcome::ok ? ok : conflict)++;
        });
    for (auto& t : threads) t.join();
    EXPECT_GE(ok.load(), 1);
    EXPECT_LE(ok.load(), 6);
    EXPECT_EQ(ok + conflict, 32);
    // Every agent is now busy at that time: the slot is gone.
    auto after = service->slots(org, video_query());
    EXPECT_TRUE(
        std::none_of(after.begin(), after.end(), [&](auto& s) { return s.start == start; }));
    db->read([&](store::Session& s) { EXPECT_EQ(s.count_live_overlaps(org.org.id), 0); });
}

TEST_F(BookingTest, DatabaseTriggerRefusesOverlap) {
    auto slots = service->slots(org, video_query());
    auto r = service->book(org, request(slots[0].start));
    ASSERT_EQ(r.outcome, app::Outcome::ok);
    auto copy = r.appointment;
    copy.token_hash = app::hash_token(app::new_token());
    EXPECT_THROW(db->write([&](store::Session& s) { s.insert_appointment(copy); }),
                 store::sqlite::Error);
}

TEST(Ics, HasUidSequenceAndTzid) {
    notify::CalendarEvent e;
    e.uid = "appointment-7@visioguichet";
    e.sequence = 2;
    e.start = 1795595400;
    e.end = e.start + 1800;
    e.time_zone = "Europe/Paris";
    e.summary = "Caf – Prime d'activité, été";
    auto ics = notify::make_ics(e);
    EXPECT_NE(ics.find("BEGIN:VEVENT"), std::string::npos);
    EXPECT_NE(ics.find("UID:appointment-7@visioguichet"), std::string::npos);
    EXPECT_NE(ics.find("SEQUENCE:2"), std::string::npos);
    EXPECT_NE(ics.find("DTSTART;TZID="), std::string::npos);
    EXPECT_NE(ics.find("Europe/Paris"), std::string::npos);
    EXPECT_NE(ics.find("BEGIN:VTIMEZONE"), std::string::npos);
    // libical reads it back: one VEVENT whose DTSTART is 09:30 in Europe/Paris.
    icalcomponent* parsed = icalparser_parse_string(ics.c_str());
    ASSERT_NE(parsed, nullptr);
    icalcomponent* ev = icalcomponent_get_first_component(parsed, ICAL_VEVENT_COMPONENT);
    ASSERT_NE(ev, nullptr);
    auto start = icalcomponent_get_dtstart(ev);
    EXPECT_EQ(start.hour, 9);
    EXPECT_EQ(start.minute, 30);
    auto* prop = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    auto* tzid = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
    ASSERT_NE(tzid, nullptr);
    EXPECT_STREQ(icalparameter_get_tzid(tzid), "Europe/Paris");
    EXPECT_EQ(icalcomponent_get_sequence(ev), 2);
    icalcomponent_free(parsed);
    e.cancelled = true;
    EXPECT_NE(notify::make_ics(e).find("METHOD:CANCEL"), std::string::npos);
}

TEST_F(BookingTest, NoShowOffersANewBookingAndCancelsTheThankYou) {
    auto slots = service->slots(org, video_query());
    auto r = service->book(org, request(slots[0].start));
    ASSERT_EQ(r.outcome, app::Outcome::ok);
    auto id = r.appointment.id;
    // Not yet started: no outcome can be recorded.
    EXPECT_EQ(service->record_outcome(org.org.id, id, store::AppointmentStatus::no_show, "agent:1")
                  .outcome,
              app::Outcome::gone);
    clock->set(r.appointment.starts_at + 15 * 60);
    EXPECT_EQ(
        service->record_outcome(org.org.id + 1, id, store::AppointmentStatus::no_show, "agent:1")
            .outcome,
        app::Outcome::not_found);  // another organisation never reaches this id
    auto done =
        service->record_outcome(org.org.id, id, store::AppointmentStatus::no_show, "agent:1");
    ASSERT_EQ(done.outcome, app::Outcome::ok);
    store::sqlite::Connection c((dir / "t.db").string(), 1000);
    auto s = c.prepare("SELECT kind, status FROM outbox WHERE appointment_id=? ORDER BY id");
    s.bind(1, id);
    std::map<std::string, std::string> st;
    while (s.step()) st[s.text(0)] = s.text(1);
    EXPECT_EQ(st["no_show"], "pending");
    EXPECT_EQ(st["thank_you"], "cancelled");
}

TEST_F(BookingTest, AgencyCancellationCarriesItsReason) {
    auto slots = service->slots(org, video_query());
    auto r = service->book(org, request(slots[0].start));
    ASSERT_EQ(r.outcome, app::Outcome::ok);
    EXPECT_EQ(service->cancel_by_agency(org.org.id, r.appointment.id, "", "agent:1").outcome,
              app::Outcome::invalid);  // a reason is owed to the citizen
    EXPECT_EQ(
        service->cancel_by_agency(org.org.id + 7, r.appointment.id, "Accueil fermé", "agent:1")
            .outcome,
        app::Outcome::not_found);
    auto c = service->cancel_by_agency(org.org.id, r.appointment.id, "Accueil fermé", "agent:1");
    ASSERT_EQ(c.outcome, app::Outcome::ok);
    EXPECT_EQ(c.appointment.cancel_reason, "Accueil fermé");
    store::sqlite::Connection conn((dir / "t.db").string(), 1000);
    auto s =
        conn.prepare("SELECT payload FROM outbox WHERE kind='cancellation' AND appointment_id=?");
    s.bind(1, r.appointment.id);
    ASSERT_TRUE(s.step());
    EXPECT_NE(s.text(0).find("\"by\":\"agency\""), std::string::npos);
}

// The first free slot, shown by every booking page, comes from the memo that serves the
// API's slot answers: within the minute and until a booking of this process, the same answer
// without searching again.
TEST_F(BookingTest, FirstFreeSlotIsMemoisedLikeTheApiSlots) {
    auto q = video_query();
    auto first = service->first_slot(org, q);
    ASSERT_TRUE(first);
    // Another process (a second service on the same database) takes every agent of it.
    app::BookingService other(*db, {}, nullptr, *clock);
    for (int i = 0; i < 50; ++i) {
        auto req = request(first->start);
        req.citizen.email = "other" + std::to_string(i) + "@example.fr";
        if (other.book(org, req).outcome != app::Outcome::ok) break;
    }
    auto fresh = service->slots(org, {q.motif_id, q.channel, std::nullopt, q.from, q.to});
    ASSERT_TRUE(fresh.empty() || fresh.front().start != first->start) << "slot not filled";
    // Memoised: this process has not seen the change yet.
    auto again = service->first_slot(org, q);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->start, first->start);
    // A booking of this process makes the memo stale: the next answer is searched again.
    ASSERT_FALSE(fresh.empty());
    auto req = request(fresh.back().start);
    req.citizen.email = "mine@example.fr";
    ASSERT_EQ(service->book(org, req).outcome, app::Outcome::ok);
    auto after = service->first_slot(org, q);
    ASSERT_TRUE(after);
    EXPECT_NE(after->start, first->start);
}

// Going back after confirming and confirming again booked the same citizen twice. One key,
// one booking: the same request finds it again (with its link when the key can be opened),
// another request with that key is refused.
TEST_F(BookingTest, OneIdempotencyKeyOneBooking) {
    auto sealer = store::Sealer::from_file((dir / "secret.key").string());
    app::BookingService sealing(*db, {}, &sealer, *clock);
    auto all = sealing.slots(org, video_query());
    std::vector<app::SlotView> slots;  // distinct starts, a day apart
    for (auto& sl : all)
        if (slots.empty() || sl.start >= slots.back().start + 86400) slots.push_back(sl);
    ASSERT_GE(slots.size(), 3u);
    auto count = [&] {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare("SELECT COUNT(*) FROM appointments");
        s.step();
        return s.i32(0);
    };
    auto req = request(slots[0].start);
    req.idempotency_key = app::new_token();
    auto first = sealing.book(org, req);
    ASSERT_EQ(first.outcome, app::Outcome::ok);
    EXPECT_FALSE(first.replayed);
    auto again = sealing.book(org, req);
    ASSERT_EQ(again.outcome, app::Outcome::ok);
    EXPECT_TRUE(again.replayed);
    EXPECT_EQ(again.appointment.id, first.appointment.id);
    EXPECT_EQ(again.token, first.token);
    EXPECT_EQ(count(), 1);
    // Even after the terms or the slot changed: the appointment is found first.
    clock->advance(3600);
    req.terms_version = org.terms->version;
    EXPECT_TRUE(sealing.book(org, req).replayed);
    // Without the secret key the link cannot be shown again, but nothing is booked twice.
    auto blind = service->book(org, req);
    EXPECT_TRUE(blind.replayed);
    EXPECT_TRUE(blind.token.empty());
    // The same key for another request is refused, nothing written.
    auto other = req;
    other.start = slots[1].start;
    auto refused = sealing.book(org, other);
    EXPECT_EQ(refused.outcome, app::Outcome::invalid);
    EXPECT_EQ(refused.errors["idempotency_key"], "error.idempotency_key_reused");
    other.citizen.first_name = "Zoe";
    other.start = slots[0].start;
    EXPECT_EQ(sealing.book(org, other).outcome, app::Outcome::invalid);
    EXPECT_EQ(count(), 1);
    // Sent twice at once: one booking, both answers name it.
    req.idempotency_key = app::new_token();
    req.start = slots[2].start;
    std::vector<core::Id> ids(8);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            auto r = sealing.book(org, req);
            ids[std::size_t(i)] = r.outcome == app::Outcome::ok ? r.appointment.id : -1;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::set<core::Id>(ids.begin(), ids.end()).size(), 1u);
    EXPECT_GT(ids[0], 0);
    EXPECT_EQ(count(), 2);
}
