// The booking service on a real SQLite file with the demo organisation.
#include <date/tz.h>
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
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
    // Another token of the same shape: its first character changed (to one it is not).
    auto other = r.token;
    other[0] = other[0] == 'x' ? 'y' : 'x';
    EXPECT_FALSE(service->find(other));

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

// --- issue 11, point 21: "send me my link again" ------------------------------------------------

namespace {

class ResendTest : public BookingTest {
  protected:
    void SetUp() override {
        BookingTest::SetUp();
        sealer = std::make_unique<store::Sealer>(store::Sealer::from_file((dir / "k").string()));
        service = std::make_unique<app::BookingService>(*db, settings, sealer.get(), *clock);
        slots = service->slots(org, video_query());
        ASSERT_GE(slots.size(), 12u);
    }
    app::BookResult book(std::size_t slot, const std::string& email, const std::string& phone) {
        auto r = request(slots.at(slot).start);
        r.citizen.email = email;
        r.citizen.phone = phone;
        auto res = service->book(org, r);
        EXPECT_EQ(res.outcome, app::Outcome::ok);
        return res;
    }
    struct Links {
        std::vector<core::Id> appointments;
        std::vector<std::string> tokens;
        std::string channel;
    };
    // The "links" messages queued, oldest first, their sealed links opened.
    std::vector<Links> links() {
        std::vector<Links> out;
        db->read([&](store::Session& s) {
            auto rows = s.outbox(1, "pending", 1000);
            std::reverse(rows.begin(), rows.end());
            for (auto& row : rows) {
                if (row.kind != "links") continue;
                auto p = nlohmann::json::parse(row.payload);
                Links l;
                l.channel = row.channel;
                for (auto& id : p["appointments"]) l.appointments.push_back(id.get<core::Id>());
                auto opened = sealer->open(p["token"].get<std::string>()).value_or("");
                std::stringstream words(opened);
                for (std::string t; words >> t;) l.tokens.push_back(t);
                EXPECT_EQ(*row.appointment_id, l.appointments.front());
                out.push_back(l);
            }
        });
        return out;
    }
    int audit_lines() {
        int n = 0;
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare("SELECT COUNT(*) FROM audit_log WHERE action='contact.links_requested'");
        if (s.step()) n = s.i32(0);
        return n;
    }

    app::BookingSettings settings;
    std::unique_ptr<store::Sealer> sealer;
    std::vector<app::SlotView> slots;
};

}  // namespace

TEST_F(ResendTest, NewLinksForTheUpcomingLiveAppointmentsOfThatContactInThisOrganisation) {
    auto past = book(0, "zoe@example.fr", "");
    auto later = book(8, "Zoe@Example.FR", "");
    auto sooner = book(4, "zoe@example.fr", "06 12 34 56 78");
    auto cancelled = book(6, "zoe@example.fr", "");
    ASSERT_EQ(service->cancel(cancelled.token, "").outcome, app::Outcome::ok);
    book(10, "someone.else@example.fr", "");
    // The same address in another organisation.
    db->write([&](store::Session& s) {
        store::Organisation other;
        other.slug = "other";
        other.name = "Other";
        auto a = later.appointment;
        a.organisation_id = s.insert_organisation(other);
        a.starts_at += 40 * 86400;
        a.ends_at += 40 * 86400;
        a.token_hash = app::hash_token(app::new_token());
        s.insert_appointment(a);
    });
    clock->set(past.appointment.ends_at);  // over

    auto r = service->resend_links(org, "  ZOE@example.fr ", "192.0.2.1");
    ASSERT_EQ(r.outcome, app::Outcome::ok);
    EXPECT_FALSE(r.limited);
    EXPECT_EQ(r.appointments, 2);
    auto sent = links();
    ASSERT_EQ(sent.size(), 1u) << "one message for all the contact's appointments";
    EXPECT_EQ(sent[0].channel, "email");
    EXPECT_EQ(sent[0].appointments,
              (std::vector<core::Id>{sooner.appointment.id, later.appointment.id}));
    ASSERT_EQ(sent[0].tokens.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        auto v = service->find(sent[0].tokens[i]);
        ASSERT_TRUE(v) << "the new link does not work";
        EXPECT_EQ(v->appointment.id, sent[0].appointments[i]);
    }
    // The first links keep working (copies are in the confirmation and queued reminders).
    EXPECT_EQ(service->find(later.token)->appointment.id, later.appointment.id);
    EXPECT_EQ(service->find(sooner.token)->appointment.id, sooner.appointment.id);
    // And a new link does everything the first one does.
    EXPECT_EQ(service->cancel(sent[0].tokens[1], "").outcome, app::Outcome::ok);
    EXPECT_EQ(service->find(later.token)->appointment.status, store::AppointmentStatus::cancelled);

    // By phone (national, international, any spacing): the SMS channel, the same appointment.
    for (auto phone : {"0612345678", "+33 6 12 34 56 78", "06.12.34.56.78"}) {
        auto before = links().size();
        ASSERT_EQ(service->resend_links(org, phone, "192.0.2.2").outcome, app::Outcome::ok)
            << phone;
        auto now_sent = links();
        ASSERT_EQ(now_sent.size(), before + 1) << phone;
        EXPECT_EQ(now_sent.back().channel, "sms");
        EXPECT_EQ(now_sent.back().appointments, std::vector<core::Id>{sooner.appointment.id});
    }
}

TEST_F(ResendTest, AnUnknownContactGetsTheSameAnswerAndNoMessage) {
    book(2, "zoe@example.fr", "");
    int audits = audit_lines();
    auto known = service->resend_links(org, "zoe@example.fr", "192.0.2.1");
    auto unknown = service->resend_links(org, "nobody@example.fr", "192.0.2.1");
    auto no_phone = service->resend_links(org, "06 11 22 33 44", "192.0.2.1");
    for (auto* r : {&known, &unknown, &no_phone}) {
        EXPECT_EQ(r->outcome, app::Outcome::ok);
        EXPECT_FALSE(r->limited);
        EXPECT_TRUE(r->errors.empty());
    }
    EXPECT_EQ(unknown.appointments, 0);
    EXPECT_EQ(links().size(), 1u);
    // The same work either way: one write (its audit line) per request.
    EXPECT_EQ(audit_lines(), audits + 3);
}

TEST_F(ResendTest, MalformedContactsAreRefusedWithTheirReason) {
    auto no = [&](const std::string& contact, const std::string& why) {
        auto r = service->resend_links(org, contact, "192.0.2.1");
        EXPECT_EQ(r.outcome, app::Outcome::invalid) << contact;
        EXPECT_EQ(r.errors["contact"], why) << contact;
    };
    no("", "error.required");
    no("   ", "error.required");
    no("12", "error.invalid_contact");
    no("zoe@", "error.invalid_contact");
    no("z\xC3(@example.fr", "error.invalid_contact");
    no(std::string(400, 'a') + "@example.fr", "error.too_long");
    no("06 12 34 56 78\r\nBcc: x@evil.test", "error.invalid_contact");
    EXPECT_TRUE(links().empty());
    EXPECT_EQ(audit_lines(), 0) << "a refused request wrote";
}

TEST_F(ResendTest, LimitedPerClientAddressAndPerContact) {
    settings.resend_per_client_per_hour = 3;
    settings.resend_per_contact_per_day = 2;
    service = std::make_unique<app::BookingService>(*db, settings, sealer.get(), *clock);
    book(2, "zoe@example.fr", "");
    auto ask = [&](const std::string& contact, const std::string& ip) {
        return service->resend_links(org, contact, ip);
    };
    EXPECT_FALSE(ask("zoe@example.fr", "192.0.2.1").limited);
    EXPECT_FALSE(ask("ZOE@example.fr", "192.0.2.1").limited);
    // The contact's third request of the day, from anywhere: refused.
    auto r = ask("zoe@example.fr", "198.51.100.7");
    EXPECT_TRUE(r.limited);
    EXPECT_GT(r.retry_after, 3600);
    EXPECT_LE(r.retry_after, 86400);
    // The client's fourth request of the hour, whatever the contact: refused.
    EXPECT_FALSE(ask("other@example.fr", "192.0.2.1").limited);
    r = ask("third@example.fr", "192.0.2.1");
    EXPECT_TRUE(r.limited);
    EXPECT_LE(r.retry_after, 3600);
    EXPECT_EQ(links().size(), 2u) << "a refused request queued a message";
    EXPECT_EQ(audit_lines(), 3);
    // An hour later the client may ask again; the contact only the next day.
    clock->set(now + 3601);
    EXPECT_FALSE(ask("third@example.fr", "192.0.2.1").limited);
    EXPECT_TRUE(ask("zoe@example.fr", "192.0.2.9").limited);
    clock->set(now + 86401);
    EXPECT_FALSE(ask("zoe@example.fr", "192.0.2.9").limited);
    EXPECT_EQ(audit_lines(), 5);
}

TEST_F(ResendTest, OnlyTheNewestResentLinksStayValid) {
    auto a = book(2, "zoe@example.fr", "");
    settings.resend_per_contact_per_day = 100;
    service = std::make_unique<app::BookingService>(*db, settings, sealer.get(), *clock);
    std::vector<std::string> tokens;
    for (int i = 0; i < 7; ++i) {
        ASSERT_FALSE(service->resend_links(org, "zoe@example.fr", "192.0.2.1").limited);
        tokens.push_back(links().back().tokens.at(0));
    }
    EXPECT_FALSE(service->find(tokens[0]));
    EXPECT_FALSE(service->find(tokens[1]));
    for (int i = 2; i < 7; ++i) EXPECT_TRUE(service->find(tokens[std::size_t(i)])) << i;
    EXPECT_TRUE(service->find(a.token)) << "the first link always works";
}
