// The video room's rules (issue 13; app::RoomService) on a real SQLite file with the demo
// organisation and a ManualClock: the room token (distinct from the management token, only
// its hash stored), the window's edges with the organisation's settings, another
// organisation's appointment, the holding agent, invitations, the journal and resume.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/booking_service.hpp"
#include "app/demo.hpp"
#include "app/room_service.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/timefmt.hpp"
#include "store/secrets.hpp"
#include "store/sqlite.hpp"

using namespace vg;
namespace fs = std::filesystem;

namespace {

// Wednesday 25 November 2026, 09:00 in Paris.
constexpr core::Instant kWednesday = 1795593600;

class RoomTest : public ::testing::Test {
  protected:
    void SetUp() override {
        app::init_crypto();
        dir = fs::temp_directory_path() /
              ("vg-room-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
        clock = std::make_unique<core::ManualClock>(kWednesday);
        db = store::open_sqlite_store({(dir / "t.db").string(), false, 10000, clock.get()});
        db->migrate();
        ASSERT_TRUE(app::load_demo(*db, kWednesday));
        service =
            std::make_unique<app::BookingService>(*db, app::BookingSettings{}, nullptr, *clock);
        rooms = std::make_unique<app::RoomService>(*db, *clock);
        org = *service->organisation("demo");
    }
    void TearDown() override {
        rooms.reset();
        service.reset();
        db.reset();
        fs::remove_all(dir);
    }

    app::BookResult book(core::Channel channel = core::Channel::video) {
        auto today = core::local_day_of(clock->now(), org.default_zone());
        auto slots = service->slots(org, {1, channel, std::nullopt, today, today + 20});
        EXPECT_FALSE(slots.empty());
        app::BookRequest r;
        r.motif_id = 1;
        r.channel = channel;
        r.start = slots.at(slots.size() / 2).start;
        r.citizen = {"Zoé", "Martin", "zoe@example.fr", "0612345678", "fr", "", ""};
        r.accept_terms = true;
        r.terms_version = org.terms->version;
        auto b = service->book(org, r);
        EXPECT_EQ(b.outcome, app::Outcome::ok);
        return b;
    }
    std::string text(const std::string& sql, core::Id id) {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare(sql.c_str());
        s.bind(1, id);
        return s.step() ? s.text(0) : std::string("<none>");
    }
    void set_org(const char* sql) {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        c.exec(sql);
    }

    fs::path dir;
    std::unique_ptr<store::Store> db;
    std::unique_ptr<core::ManualClock> clock;
    std::unique_ptr<app::BookingService> service;
    std::unique_ptr<app::RoomService> rooms;
    app::OrgData org;
};

}  // namespace

TEST_F(RoomTest, TheRoomTokenIsDistinctAndOnlyItsHashIsStored) {
    auto b = book();
    auto room_token = store::room_token_for(b.token);
    EXPECT_NE(room_token, b.token);
    EXPECT_TRUE(app::looks_like_token(room_token));
    EXPECT_EQ(text("SELECT token_hash FROM room_tokens WHERE appointment_id = ?", b.appointment.id),
              app::hash_token(room_token));
    EXPECT_EQ(text("SELECT COUNT(*) FROM room_tokens WHERE token_hash IN ('" + room_token + "', '" +
                       b.token + "') AND appointment_id = ?",
                   b.appointment.id),
              "0");
    auto room = rooms->by_token(room_token);
    ASSERT_TRUE(room);
    EXPECT_EQ(room->appointment.id, b.appointment.id);
    // The management token does not open the room, nor a room token its management page.
    EXPECT_FALSE(rooms->by_token(b.token));
    EXPECT_FALSE(service->find(room_token));
    EXPECT_FALSE(rooms->by_token("not a token"));
}

TEST_F(RoomTest, WindowEdgesFollowTheOrganisationsSettings) {
    auto b = book();
    auto& a = b.appointment;
    auto token = store::room_token_for(b.token);
    auto window = [&] { return rooms->by_token(token)->window; };
    clock->set(a.starts_at - 15 * 60 - 1);
    EXPECT_EQ(window(), app::RoomWindow::not_yet);
    clock->set(a.starts_at - 15 * 60);
    EXPECT_EQ(window(), app::RoomWindow::open);
    clock->set(a.ends_at + 30 * 60 - 1);
    EXPECT_EQ(window(), app::RoomWindow::open);
    clock->set(a.ends_at + 30 * 60);
    EXPECT_EQ(window(), app::RoomWindow::over);

    set_org("UPDATE organisations SET room_opens_minutes = 5, room_margin_minutes = 0");
    clock->set(a.starts_at - 5 * 60 - 1);
    EXPECT_EQ(window(), app::RoomWindow::not_yet);
    clock->set(a.starts_at - 5 * 60);
    EXPECT_EQ(window(), app::RoomWindow::open);
    clock->set(a.ends_at - 1);
    EXPECT_EQ(window(), app::RoomWindow::open);
    clock->set(a.ends_at);
    EXPECT_EQ(window(), app::RoomWindow::over);
}

TEST_F(RoomTest, OnlyALiveVideoAppointmentHasAnOpenRoom) {
    auto on_site = book(core::Channel::on_site);
    clock->set(on_site.appointment.starts_at);
    auto room = rooms->by_token(store::room_token_for(on_site.token));
    ASSERT_TRUE(room);  // every management link has its room token (a site closure may
                        // turn the appointment to video)
    EXPECT_EQ(room->window, app::RoomWindow::over);

    clock->set(kWednesday);
    auto b = book();
    ASSERT_EQ(service->cancel(b.token, "").outcome, app::Outcome::ok);
    clock->set(b.appointment.starts_at);
    EXPECT_EQ(rooms->by_token(store::room_token_for(b.token))->window, app::RoomWindow::over);
}

TEST_F(RoomTest, AnotherOrganisationsAppointmentIsNotFound) {
    auto b = book();
    EXPECT_TRUE(rooms->by_appointment(org.org.id, b.appointment.id));
    EXPECT_FALSE(rooms->by_appointment(org.org.id + 1, b.appointment.id));
    EXPECT_FALSE(rooms->invite(org.org.id + 1, b.appointment.id, "account:1"));
    rooms->record(b.appointment, "citizen", "p1", "joined");
    EXPECT_EQ(rooms->journal(org.org.id, b.appointment.id).size(), 1u);
    EXPECT_TRUE(rooms->journal(org.org.id + 1, b.appointment.id).empty());
}

TEST_F(RoomTest, OnlyTheHoldingAgentHoldsTheAppointment) {
    auto b = book();
    auto holder =
        std::stoll(text("SELECT account_id FROM memberships WHERE role = 'agent' AND "
                        "agent_id = ?",
                        b.appointment.agent_id));
    auto other =
        std::stoll(text("SELECT account_id FROM memberships WHERE role = 'agent' AND "
                        "agent_id <> ? ORDER BY agent_id LIMIT 1",
                        b.appointment.agent_id));
    EXPECT_TRUE(rooms->holds(holder, b.appointment));
    EXPECT_FALSE(rooms->holds(other, b.appointment));
    auto moved = b.appointment;
    moved.organisation_id += 1;  // the same agent id in another organisation
    EXPECT_FALSE(rooms->holds(holder, moved));
}

TEST_F(RoomTest, AnInvitationBindsTheFirstBrowserAndCanBeRevoked) {
    auto b = book();
    auto link = rooms->invite(org.org.id, b.appointment.id, "account:1");
    ASSERT_TRUE(link);
    EXPECT_EQ(text("SELECT token_hash FROM room_invitations WHERE id = ?", link->id),
              app::hash_token(link->token));
    auto invited = rooms->by_invitation(link->token);
    ASSERT_TRUE(invited);
    auto first = rooms->enter(invited->room, app::RoomRole::guest, invited->invitation.id, {});
    ASSERT_TRUE(first);
    EXPECT_FALSE(first->participant.admitted_at);  // the agent admits guests too
    EXPECT_FALSE(rooms->enter(invited->room, app::RoomRole::guest, invited->invitation.id, {}));
    // Its resume secret brings the same participant back, in that room and role only.
    auto again = rooms->resume(invited->room, app::RoomRole::guest, first->resume);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->participant.participant, first->participant.participant);
    EXPECT_FALSE(rooms->resume(invited->room, app::RoomRole::citizen, first->resume));
    auto other = book();
    EXPECT_FALSE(rooms->resume(*rooms->by_token(store::room_token_for(other.token)),
                               app::RoomRole::guest, first->resume));

    auto second = rooms->invite(org.org.id, b.appointment.id, "account:1");
    ASSERT_TRUE(second);
    EXPECT_TRUE(rooms->revoke(org.org.id, b.appointment.id, second->id, "account:1"));
    EXPECT_FALSE(rooms->revoke(org.org.id, b.appointment.id, second->id, "account:1"));
    auto revoked = rooms->by_invitation(second->token);
    ASSERT_TRUE(revoked);
    EXPECT_TRUE(revoked->invitation.revoked_at);
    EXPECT_FALSE(rooms->enter(revoked->room, app::RoomRole::guest, revoked->invitation.id, {}));
    auto journal = rooms->journal(org.org.id, b.appointment.id);
    ASSERT_EQ(journal.size(), 3u);
    EXPECT_EQ(journal[2].kind, "invitation_revoked");
}

TEST_F(RoomTest, AdmissionIsStoredWithTheResumeSecretsHash) {
    auto b = book();
    auto room = *rooms->by_token(store::room_token_for(b.token));
    auto citizen = rooms->enter(room, app::RoomRole::citizen, {}, {});
    ASSERT_TRUE(citizen);
    EXPECT_EQ(
        text("SELECT resume_hash FROM room_participants WHERE id = ?", citizen->participant.id),
        app::hash_token(citizen->resume));
    EXPECT_FALSE(
        rooms->resume(room, app::RoomRole::citizen, citizen->resume)->participant.admitted_at);
    rooms->admit(room, citizen->participant.participant);
    EXPECT_TRUE(
        rooms->resume(room, app::RoomRole::citizen, citizen->resume)->participant.admitted_at);
    auto agent = rooms->enter(room, app::RoomRole::agent, {}, 1);
    EXPECT_TRUE(agent->participant.admitted_at);
}
