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
#include "room_fixture.hpp"
#include "store/secrets.hpp"
#include "store/sqlite.hpp"

using namespace vg;

namespace {

class RoomTest : public unit::RoomFixture {
  protected:
    app::BookResult book(core::Channel channel = core::Channel::video) {
        return book_slot(channel);
    }
};

}  // namespace

TEST_F(RoomTest, TheRoomTokenIsDistinctAndOnlyItsHashIsStored) {
    auto b = book();
    auto room_token = store::room_token_for(b.token);
    EXPECT_NE(room_token, b.token);
    EXPECT_TRUE(app::looks_like_token(room_token));
    EXPECT_EQ(
        sql_text("SELECT token_hash FROM room_tokens WHERE appointment_id = ?", b.appointment.id),
        app::hash_token(room_token));
    EXPECT_EQ(sql_text("SELECT COUNT(*) FROM room_tokens WHERE token_hash IN ('" + room_token +
                           "', '" + b.token + "') AND appointment_id = ?",
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

    sql_exec("UPDATE organisations SET room_opens_minutes = 5, room_margin_minutes = 0");
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

    clock->set(unit::kWednesday);
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
        std::stoll(sql_text("SELECT account_id FROM memberships WHERE role = 'agent' AND "
                            "agent_id = ?",
                            b.appointment.agent_id));
    auto other =
        std::stoll(sql_text("SELECT account_id FROM memberships WHERE role = 'agent' AND "
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
    EXPECT_EQ(sql_text("SELECT token_hash FROM room_invitations WHERE id = ?", link->id),
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
        sql_text("SELECT resume_hash FROM room_participants WHERE id = ?", citizen->participant.id),
        app::hash_token(citizen->resume));
    EXPECT_FALSE(
        rooms->resume(room, app::RoomRole::citizen, citizen->resume)->participant.admitted_at);
    rooms->admit(room, citizen->participant.participant);
    EXPECT_TRUE(
        rooms->resume(room, app::RoomRole::citizen, citizen->resume)->participant.admitted_at);
    auto agent = rooms->enter(room, app::RoomRole::agent, {}, 1);
    EXPECT_TRUE(agent->participant.admitted_at);
}
