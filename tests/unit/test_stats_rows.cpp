// The statistics' per-appointment rows (migration 28) are kept by triggers in each write's
// transaction. This test makes a long seeded random sequence of every kind of write the
// statistics depend on (bookings, updates and reschedules, history events, room journal,
// outcomes, surveys, retention erasure, and hostile details) and checks after each that the
// table equals its definition (store/stats_rows_sql.hpp) computed row by row from the history.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "demo_fixture.hpp"
#include "store/stats_rows_sql.hpp"

namespace vg {
namespace {

class StatsRows : public unit::DemoFixture {
  protected:
    // Every row of `sql`, one line each, NULL shown apart from text.
    std::string dump(const char* sql) {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare(sql);
        std::ostringstream out;
        while (s.step()) {
            for (int i = 0; i < 35; ++i)
                out << (s.is_null(i) ? "NULL" : "'" + s.text(i) + "'") << '|';
            out << '\n';
        }
        return out.str();
    }
    std::string table() {
        return dump(
            "SELECT organisation_id, starts_at, appointment_id, ends_at, created_at, motif_id, "
            "site_id, agent_id, channel, status, language, origin, cancel_reason, cancelled_by, "
            "confirmed, moved_to_phone, reschedules, resolved, request_type, theme, autonomy, "
            "rating, comment, room_joined, citizen_joined_at, admitted_at, first_ended_at, "
            "last_left_at, ice_restarts, connection_failures, audio_fallback, room_to_phone, "
            "connected, relayed, browser FROM stats_appointments ORDER BY appointment_id");
    }
    std::string definition() {
        return dump("SELECT * FROM (" VG_SQL_STATS_ROWS_FROM_HISTORY ") ORDER BY 3");
    }
};

TEST_F(StatsRows, TheTableEqualsItsDefinitionAfterEveryKindOfWrite) {
    std::mt19937 rng(20261130);
    auto pick = [&](auto const& v) {
        return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
    };
    auto chance = [&](int percent) {
        return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
    };
    std::vector<core::Id> agents;
    db->read([&](store::Session& s) {
        for (auto& a : s.agents(org.org.id)) agents.push_back(a.id);
    });
    // Every start is a fresh hour: nothing overlaps, whatever the status.
    core::Instant next_start = unit::kWednesday + 86400;
    std::vector<core::Id> ids;
    const std::vector<std::string> statuses = {"booked", "confirmed", "cancelled", "honoured",
                                               "no_show"};
    const std::vector<std::string> origins = {"citizen", "agent", "partner", "tutor"};
    const std::vector<std::string> languages = {"fr", "en", "nl", "de"};
    const std::vector<std::string> event_kinds = {"cancelled", "presence_confirmed",
                                                  "moved_to_phone", "rescheduled", "note_added"};
    const std::vector<std::string> cancel_details = {
        R"({"by":"citizen"})", R"({"by":"agency"})", "{}", R"({"by":3})", "not json", ""};
    const std::vector<std::string> room_kinds = {
        "joined",      "rejoined",          "left",           "admitted",       "ended",
        "ice_restart", "connection_failed", "audio_fallback", "moved_to_phone", "connected",
        "chat"};
    const std::vector<std::string> room_details = {R"({"browser":"firefox"})",
                                                   R"({"browser":"chrome"})",
                                                   R"({"detail":"relay"})",
                                                   R"({"detail":"host"})",
                                                   "",
                                                   "{broken",
                                                   R"({"browser":7})"};
    int checks = 0;
    for (int step = 0; step < 400; ++step) {
        int op = step < 20 ? 0 : std::uniform_int_distribution<int>(0, 9)(rng);
        clock->set(unit::kWednesday + std::uniform_int_distribution<int>(-7200, 40 * 86400)(rng));
        db->write([&](store::Session& s) {
            if (op == 0 || ids.empty()) {
                store::Appointment a;
                a.organisation_id = org.org.id;
                a.motif_id = pick(org.motifs).id;
                a.site_id = pick(org.sites).id;
                a.agent_id = pick(agents);
                a.channel = pick(std::vector<core::Channel>{
                    core::Channel::video, core::Channel::on_site, core::Channel::phone});
                a.starts_at = next_start += 3600;
                a.ends_at = a.starts_at + 1800;
                a.status = *store::parse_appointment_status(pick(statuses));
                a.citizen = {"Zoé", "Martin", "zoe@example.org", "+33612345678", pick(languages),
                             "",    ""};
                a.terms_version = org.terms->version;
                a.booked_by.kind = pick(origins);
                a.token_hash = "h" + std::to_string(step);
                a.token_expires_at = a.starts_at + 86400;
                // Sometimes recorded after its start (the 'late' rows).
                a.created_at = chance(10) ? a.starts_at + 600 : unit::kWednesday;
                a.updated_at = a.created_at;
                ids.push_back(s.insert_appointment(a));
                return;
            }
            core::Id id = pick(ids);
            switch (op) {
                case 1:
                case 2: {
                    auto a = *s.appointment_by_id(org.org.id, id);
                    a.status = *store::parse_appointment_status(pick(statuses));
                    if (chance(40)) {
                        a.starts_at = next_start += 3600;
                        a.ends_at = a.starts_at + 1800;
                    }
                    if (chance(30)) a.motif_id = pick(org.motifs).id;
                    if (chance(30)) a.agent_id = pick(agents);
                    if (chance(30)) a.citizen.language = pick(languages);
                    if (chance(30)) a.cancel_reason = chance(50) ? "Grève" : "";
                    s.update_appointment(a);
                    break;
                }
                case 3: {
                    auto kind = pick(event_kinds);
                    s.add_event(id, kind, "account:1",
                                kind == "cancelled" ? pick(cancel_details) : "{}");
                    break;
                }
                case 4:
                case 5:
                case 6:
                    s.add_room_event({0, id, org.org.id, 0,
                                      pick(std::vector<std::string>{"citizen", "agent", "guest"}),
                                      "p1", pick(room_kinds), pick(room_details)});
                    break;
                case 7:
                    s.set_outcome({id, org.org.id,
                                   pick(std::vector<std::string>{"yes", "no", "partially"}),
                                   pick(std::vector<std::string>{"", "claim", "info"}),
                                   pick(std::vector<std::string>{"", "housing"}), "autonomous",
                                   "account:1", 0});
                    break;
                case 8:
                    s.insert_survey(org.org.id, id, std::uniform_int_distribution<int>(1, 5)(rng),
                                    chance(50) ? "Merci" : "");
                    break;
                case 9:
                    s.erase_personal_data(org.org.id, clock->now() - 86400);
                    break;
            }
        });
        if (step % 5 == 4) {
            ASSERT_EQ(table(), definition())
                << "after step " << step << " (operation " << op << ")";
            ++checks;
        }
    }
    EXPECT_EQ(checks, 80);
    // The data set is not trivial: every family was written.
    for (auto* sql : {"SELECT COUNT(*) FROM stats_appointments WHERE cancelled_by = 'citizen' "
                      "AND organisation_id = ?",
                      "SELECT COUNT(*) FROM stats_appointments WHERE created_at > starts_at "
                      "AND organisation_id = ?",
                      "SELECT COUNT(*) FROM stats_appointments WHERE relayed = 1 "
                      "AND organisation_id = ?",
                      "SELECT COUNT(*) FROM stats_appointments WHERE reschedules > 1 "
                      "AND organisation_id = ?",
                      "SELECT COUNT(*) FROM stats_appointments WHERE browser <> '' "
                      "AND organisation_id = ?",
                      "SELECT COUNT(*) FROM stats_appointments WHERE comment <> '' "
                      "AND organisation_id = ?",
                      "SELECT COUNT(*) FROM stats_appointments WHERE first_ended_at IS NOT NULL "
                      "AND organisation_id = ?"})
        EXPECT_NE(sql_text(sql, org.org.id), "0") << sql;
}

}  // namespace
}  // namespace vg

namespace vg {
namespace {

// The comparison above can fail: without one of the triggers, one write makes them differ.
TEST_F(StatsRows, AMissingTriggerShows) {
    core::Id agent = 0;
    db->read([&](store::Session& s) { agent = s.agents(org.org.id).front().id; });
    auto id =
        add_appointment(agent, unit::kWednesday + 86400, 30, store::AppointmentStatus::honoured);
    ASSERT_EQ(table(), definition());
    sql_exec("DROP TRIGGER stats_appointments_survey_insert");
    db->write([&](store::Session& s) { s.insert_survey(org.org.id, id, 5, "Très bien"); });
    EXPECT_NE(table(), definition());
}

}  // namespace
}  // namespace vg

namespace vg {
namespace {

// The reader's two ranges: an appointment recorded after its start is read once, whether it
// starts before the asked span (booked in it) or inside it; one booked and started before the
// span is not read.
TEST_F(StatsRows, RecordedLateAppointmentsAreReadOnce) {
    core::Id agent = 0;
    db->read([&](store::Session& s) { agent = s.agents(org.org.id).front().id; });
    const core::Instant from = unit::kWednesday + 10 * 86400, to = from + 7 * 86400;
    auto make = [&](core::Instant start, core::Instant created) {
        auto id = add_appointment(agent, start, 30, store::AppointmentStatus::honoured);
        sql_exec(("UPDATE appointments SET created_at = " + std::to_string(created) +
                  " WHERE id = " + std::to_string(id))
                     .c_str());
        return id;
    };
    auto before_booked_inside = make(from - 3600, from + 600);
    auto inside_late = make(from + 7200, from + 9000);
    auto before_both = make(from - 7200, from - 3000);
    auto after_booked_inside = make(to + 86400, from + 60);
    std::vector<core::Id> got;
    db->read([&](store::Session& s) {
        s.stats_appointments(org.org.id, from, to, false,
                             [&](const store::StatsAppointment& a) { got.push_back(a.id); });
    });
    EXPECT_EQ(got, (std::vector<core::Id>{before_booked_inside, inside_late, after_booked_inside}));
    EXPECT_EQ(std::count(got.begin(), got.end(), before_both), 0);
}

}  // namespace
}  // namespace vg
