// The video room's rules about time (issue 13; app/room_rules.hpp) with a ManualClock on a
// real SQLite file with the demo organisation: the automatic no-show (when, which channel,
// idempotent, never a citizen who joined or is in the room, never a recorded outcome), the
// late agent's decision, its journal and supervisors' alert (once), the citizen's choice,
// and the protocol's late_choice.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "app/booking_service.hpp"
#include "app/demo.hpp"
#include "app/room_rules.hpp"
#include "app/room_service.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/timefmt.hpp"
#include "room_fixture.hpp"
#include "store/sqlite.hpp"
#include "video/protocol.hpp"

using namespace vg;

namespace {

class RoomRulesTest : public unit::RoomFixture {
  protected:
    store::Appointment book(core::Channel channel = core::Channel::video, std::size_t nth = 0) {
        return book_slot(channel, nth).appointment;
    }
    std::string status(core::Id id) {
        return sql_text("SELECT status FROM appointments WHERE id=?", id);
    }
    int no_shows() {
        return service->record_automatic_no_shows([&](core::Id id) { return present.count(id); });
    }
    std::set<core::Id> present;
};

}  // namespace

TEST_F(RoomRulesTest, TheDecisionsFollowTheOrganisationsDelay) {
    auto a = book();
    auto o = org.org;
    EXPECT_EQ(app::late_after(a, o), a.starts_at + 10 * 60);  // default 10 minutes (seed 003)
    EXPECT_FALSE(app::automatic_no_show_due(a, o, false, a.starts_at + 10 * 60 - 1));
    EXPECT_TRUE(app::automatic_no_show_due(a, o, false, a.starts_at + 10 * 60));
    EXPECT_FALSE(app::automatic_no_show_due(a, o, true, a.starts_at + 10 * 60));
    o.no_show_delay_minutes = 3;
    EXPECT_TRUE(app::automatic_no_show_due(a, o, false, a.starts_at + 3 * 60));
    // Once the room closed (the end + 30 minutes) the agent decides: a server stopped
    // meanwhile does not message old appointments.
    EXPECT_TRUE(app::automatic_no_show_due(a, o, false, a.ends_at + 30 * 60 - 1));
    EXPECT_FALSE(app::automatic_no_show_due(a, o, false, a.ends_at + 30 * 60));
    auto on_site = a;
    on_site.channel = core::Channel::on_site;
    EXPECT_FALSE(app::automatic_no_show_due(on_site, o, false, a.starts_at + 10 * 60));
    auto held = a;
    held.status = store::AppointmentStatus::honoured;
    EXPECT_FALSE(app::automatic_no_show_due(held, o, false, a.starts_at + 10 * 60));

    auto late_at = app::late_after(a, org.org);
    EXPECT_FALSE(app::agent_late(a, late_at, false, late_at - 1));
    EXPECT_TRUE(app::agent_late(a, late_at, false, late_at));
    EXPECT_FALSE(app::agent_late(a, late_at, true, late_at));  // admitted: not waiting
    EXPECT_FALSE(app::agent_late(held, late_at, false, late_at));
}

TEST_F(RoomRulesTest, AnAbsentCitizenIsMarkedNoShowOnceWithTheAgentsMessage) {
    // Slots may be days apart: each appointment is looked at from its own start.
    auto absent = book(core::Channel::video, 0);
    auto joined = book(core::Channel::video, 1);
    auto in_room = book(core::Channel::video, 2);
    auto on_site = book(core::Channel::on_site, 3);
    auto recorded = book(core::Channel::video, 4);
    rooms->record(joined, "citizen", "p0000000000000001", "joined");
    present.insert(in_room.id);
    // The agent recorded the outcome first: never touched.
    clock->set(recorded.starts_at);
    ASSERT_EQ(service
                  ->record_outcome(org.org.id, recorded.id, store::AppointmentStatus::honoured,
                                   "account:1")
                  .outcome,
              app::Outcome::ok);
    // Before the delay: nothing.
    clock->set(absent.starts_at + 10 * 60 - 1);
    EXPECT_EQ(no_shows(), 0);
    EXPECT_EQ(status(absent.id), "booked");
    clock->set(absent.starts_at + 10 * 60);
    EXPECT_EQ(no_shows(), 1);
    EXPECT_EQ(status(absent.id), "no_show");
    // Like the agent's "did not show up": history and audit (by the system), the message
    // offering a new booking queued.
    EXPECT_EQ(sql_text("SELECT actor FROM appointment_events WHERE appointment_id=? AND "
                       "kind='no_show'",
                       absent.id),
              "system");
    EXPECT_EQ(sql_text("SELECT actor FROM audit_log WHERE object_id=? AND "
                       "action='appointment.outcome'",
                       absent.id),
              "system");
    EXPECT_EQ(sql_text("SELECT COUNT(*) FROM outbox WHERE appointment_id=? AND kind='no_show'",
                       absent.id),
              "2");  // e-mail and SMS
    // Idempotent: another run (or another process after a restart) does nothing more.
    EXPECT_EQ(no_shows(), 0);
    EXPECT_EQ(sql_text("SELECT COUNT(*) FROM appointment_events WHERE appointment_id=? AND "
                       "kind='no_show'",
                       absent.id),
              "1");
    // A citizen who joined, one in the room now, an outcome recorded, on site: untouched.
    for (auto* a : {&joined, &in_room, &recorded, &on_site}) {
        clock->set(a->starts_at + 20 * 60);
        EXPECT_EQ(no_shows(), 0) << a->id;
    }
    EXPECT_EQ(status(joined.id), "booked");
    EXPECT_EQ(status(in_room.id), "booked");
    EXPECT_EQ(status(on_site.id), "booked");
    EXPECT_EQ(status(recorded.id), "honoured");
    // The citizen in the room leaves without anyone: still not marked (they came).
    present.clear();
    rooms->record(in_room, "citizen", "p0000000000000002", "joined");
    clock->set(in_room.starts_at + 20 * 60);
    EXPECT_EQ(no_shows(), 0);
    EXPECT_EQ(status(in_room.id), "booked");
}

TEST_F(RoomRulesTest, TheLateAgentIsJournalledAndSupervisorsAlertedOnce) {
    auto a = book();
    core::Id supervisor = 0;
    db->write([&](store::Session& s) {
        store::Account acc;
        acc.email = "chef@demo.visioguichet.test";
        acc.display_name = "Chef";
        supervisor = s.insert_account(acc);
        s.add_membership(
            {supervisor, org.org.id, "supervisor", std::nullopt, std::nullopt, "", ""});
        acc.email = "admin-only@demo.visioguichet.test";  // not a supervisor: not alerted
        s.add_membership(
            {s.insert_account(acc), org.org.id, "admin", std::nullopt, std::nullopt, "", ""});
    });
    EXPECT_TRUE(rooms->note_agent_late(a));
    EXPECT_FALSE(rooms->note_agent_late(a));  // once per appointment
    auto journal = rooms->journal(org.org.id, a.id);
    ASSERT_EQ(journal.size(), 1u);
    EXPECT_EQ(journal[0].kind, "agent_late");
    EXPECT_EQ(journal[0].role, "server");
    EXPECT_EQ(sql_text("SELECT COUNT(*) FROM outbox WHERE appointment_id=? AND "
                       "kind='staff_agent_late'",
                       a.id),
              "1");
    EXPECT_EQ(sql_text("SELECT payload FROM outbox WHERE appointment_id=? AND "
                       "kind='staff_agent_late'",
                       a.id),
              "{\"account_id\":" + std::to_string(supervisor) +
                  ",\"appointment_id\":" + std::to_string(a.id) + "}");

    rooms->late_choice(a, "p0000000000000001", "callback");
    EXPECT_EQ(
        sql_text("SELECT detail FROM room_events WHERE appointment_id=? AND kind='late_choice'",
                 a.id),
        "{\"choice\":\"callback\"}");
    EXPECT_EQ(sql_text("SELECT actor FROM appointment_events WHERE appointment_id=? AND "
                       "kind='callback_requested'",
                       a.id),
              "citizen");
}

TEST(VideoProtocolRoomRules, LateChoiceIsOneOfThree) {
    for (auto c : {"wait", "callback", "rebook"}) {
        auto r = video::parse_client_message(std::string(R"({"type":"late_choice","choice":")") +
                                             c + "\"}");
        ASSERT_TRUE(std::holds_alternative<video::ClientMessage>(r)) << c;
        auto& m = std::get<video::ClientMessage>(r);
        ASSERT_TRUE(std::holds_alternative<video::LateChoice>(m));
        EXPECT_EQ(std::get<video::LateChoice>(m).choice, c);
    }
    for (auto bad : {R"({"type":"late_choice"})", R"({"type":"late_choice","choice":"leave"})",
                     R"({"type":"late_choice","choice":3})"}) {
        auto r = video::parse_client_message(bad);
        ASSERT_TRUE(std::holds_alternative<video::ErrorCode>(r)) << bad;
        EXPECT_EQ(std::get<video::ErrorCode>(r), video::ErrorCode::malformed);
    }
}
